import { Notification, Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  message: string;
  data: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
  /** Where the notice leads in the portal: its order's page, or the wallet for a top-up. */
  link: { to: string; label: string } | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

const view = (n: Notification, codes: Map<string, string>): NotificationView => {
  const orderId = text(n.data.orderId);
  const orderCode = text(n.data.orderCode) ?? (orderId ? codes.get(orderId) : undefined) ?? null;
  return {
    id: n.id,
    type: n.type,
    title: n.title,
    message: n.message,
    data: n.data,
    readAt: n.readAt ?? null,
    createdAt: n.createdAt,
    link: orderCode
      ? { to: `/orders/${orderCode}`, label: `Order ${orderCode}` }
      : n.type.startsWith('wallet')
        ? { to: '/wallet', label: 'Your wallet' }
        : null,
  };
};

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
  // Notices that name their order only by id get its code, so that every one links to it.
  const ids = [...new Set(items.filter((n) => !text(n.data.orderCode)).map((n) => text(n.data.orderId)))].filter(
    (id): id is string => id !== null && /^[0-9a-f-]{36}$/.test(id),
  );
  const orders =
    ids.length > 0 ? await em.find(Order, { id: { $in: ids }, user: userId }, { fields: ['orderCode'] }) : [];
  const codes = new Map(orders.map((order) => [order.id, order.orderCode]));
  return { items: items.map((n) => view(n, codes)), unread };
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
