import type { UserRole } from '@handover/contracts';
import { Session, type User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import { hashToken, newToken } from './tokens';

/** What procedures know about the signed-in user. */
export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  role: UserRole;
}

export interface SignedInSession {
  user: SessionUser;
  sessionId: string;
  /** The cookie's value; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

export interface RequestOrigin {
  ip: string;
  userAgent: string | null;
}

export function toSessionUser(user: User): SessionUser {
  return { id: user.id, email: user.email, name: user.name ?? null, phone: user.phone ?? null, role: user.role };
}

/** Opens a session for `user`. Flushed with `em`. */
export function openSession(
  em: EntityManager,
  user: User,
  origin: RequestOrigin,
  ttlMs: number,
  clock: Clock,
): SignedInSession {
  const token = newToken();
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + ttlMs);
  const session = em.create(Session, {
    user,
    tokenHash: hashToken(token),
    ip: origin.ip,
    userAgent: origin.userAgent?.slice(0, 500) ?? null,
    expiresAt,
    lastSeenAt: now,
  });
  return { user: toSessionUser(user), sessionId: session.id, token, expiresAt };
}

/** Sliding expiry is written at most this often, not on every request. */
const SLIDE_EVERY_MS = 5 * 60_000;

/**
 * The live session behind a cookie token, or null when it is unknown, revoked, expired, or its
 * user is disabled or has not confirmed their address (an account from before addresses were
 * confirmed: it signs in again, and confirms). Slides the expiry forward while the session is used.
 */
export async function resolveSession(
  em: EntityManager,
  token: string,
  ttlMs: number,
  clock: Clock,
): Promise<{ user: SessionUser; sessionId: string; expiresAt: Date } | null> {
  const now = clock.now();
  const session = await em.findOne(
    Session,
    { tokenHash: hashToken(token), revokedAt: null, expiresAt: { $gt: now } },
    { populate: ['user'] },
  );
  if (!session || session.user.disabledAt || !session.user.emailVerifiedAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > SLIDE_EVERY_MS) {
    session.lastSeenAt = now;
    session.expiresAt = new Date(now.getTime() + ttlMs);
    await em.flush();
  }
  return { user: toSessionUser(session.user), sessionId: session.id, expiresAt: session.expiresAt };
}

export async function revokeSession(em: EntityManager, sessionId: string, clock: Clock): Promise<void> {
  await em.nativeUpdate(Session, { id: sessionId, revokedAt: null }, { revokedAt: clock.now() });
}

/** Signs a user out everywhere (or everywhere but `keepSessionId`). Returns how many sessions ended. */
export async function revokeUserSessions(
  em: EntityManager,
  userId: string,
  clock: Clock,
  keepSessionId?: string,
): Promise<number> {
  return em.nativeUpdate(
    Session,
    { user: userId, revokedAt: null, ...(keepSessionId ? { id: { $ne: keepSessionId } } : {}) },
    { revokedAt: clock.now() },
  );
}
