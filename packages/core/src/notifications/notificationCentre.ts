import { Notification } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  message: string;
  data: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
}

const view = (n: Notification): NotificationView => ({
  id: n.id,
  type: n.type,
  title: n.title,
  message: n.message,
  data: n.data,
  readAt: n.readAt ?? null,
  createdAt: n.createdAt,
});

/** The customer's notification centre, newest first, with the unread count. */
export async function listNotifications(
  em: EntityManager,
  userId: string,
  { limit = 50, before }: { limit?: number; before?: Date } = {},
): Promise<{ items: NotificationView[]; unread: number }> {
  const [items, unread] = await Promise.all([
    em.find(
      Notification,
      { user: userId, ...(before ? { createdAt: { $lt: before } } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit },
    ),
    em.count(Notification, { user: userId, readAt: null }),
  ]);
  return { items: items.map(view), unread };
}

/** Marks the given notifications (or all) of this user read; another user's ids are ignored. */
export async function markNotificationsRead(
  em: EntityManager,
  userId: string,
  ids: string[] | 'all',
  now: Date,
): Promise<number> {
  return em.nativeUpdate(
    Notification,
    { user: userId, readAt: null, ...(ids === 'all' ? {} : { id: { $in: ids } }) },
    { readAt: now },
  );
}
