import {
  type AcceptInviteInput,
  acceptInviteInput,
  type InviteStaffInput,
  inviteStaffInput,
  type StaffRole,
} from '@handover/contracts';
import { StaffInvite, User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import type { Clock } from '../clock';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { queueMessage } from '../notifications/outbox';
import { isLinkTokenGenuine, signLinkToken } from '../security/linkTokens';
import { hashPassword } from '../security/passwords';
import { enforceThrottle, THROTTLES } from '../security/throttle';
import { staffInviteEmail } from './emails';
import { openSession, type SignedInSession } from './sessions';
import type { AccountContext } from './signIn';
import { hashToken } from './tokens';

/** How long an invite link works. */
export const STAFF_INVITE_TTL_MS = 72 * 60 * 60_000;

export const INVITE_LINK_INVALID =
  'This invite link is invalid, has expired, was revoked or was already used. Ask an admin for a new one.';

export type StaffInviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface StaffInviteView {
  id: string;
  email: string;
  role: StaffRole;
  status: StaffInviteStatus;
  invitedByEmail: string;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedUserId: string | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const ACCOUNT_EXISTS = 'This address already has a Handover account: change its role in Users instead of inviting it.';

/**
 * An admin invites a staff member: a signed, single-use link that expires, emailed to them. An
 * invite still open for the same address is revoked by the new one, so only the latest link works.
 */
export async function inviteStaff(
  em: EntityManager,
  actorId: string,
  input: InviteStaffInput,
  ctx: AccountContext,
): Promise<StaffInviteView> {
  const { email, role } = inviteStaffInput.parse(input);
  const now = ctx.clock.now();
  return em.transactional(async (tem) => {
    if (await tem.count(User, { email })) {
      throw new ValidationError(ACCOUNT_EXISTS, { email: [ACCOUNT_EXISTS] });
    }
    const inviter = await tem.findOneOrFail(User, { id: actorId });
    const open = await tem.find(StaffInvite, { email, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } });
    for (const earlier of open) Object.assign(earlier, { revokedAt: now, revokedBy: inviter });
    const expiresAt = new Date(now.getTime() + STAFF_INVITE_TTL_MS);
    const token = signLinkToken(ctx.settings.linkKeys, 'staff_invite', expiresAt);
    const invite = tem.create(StaffInvite, { email, role, tokenHash: hashToken(token), invitedBy: inviter, expiresAt });
    await queueMessage(tem, staffInviteEmail(invite, inviter, token, ctx.settings));
    recordActivity(tem, {
      action: 'user.invited',
      subjectType: 'staff_invite',
      subjectId: invite.id,
      actor: { type: 'user', id: actorId },
      description: `Invited ${email} as ${role}`,
      properties: { email, role },
    });
    await tem.flush();
    return toInviteView(invite, now);
  });
}

/** Invites newest first, with where each stands. */
export async function listStaffInvites(em: EntityManager, clock: Clock): Promise<StaffInviteView[]> {
  const invites = await em.find(
    StaffInvite,
    {},
    { populate: ['invitedBy'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: 200 },
  );
  const now = clock.now();
  return invites.map((invite) => toInviteView(invite, now));
}

/** An admin withdraws an invite: its link stops working. An accepted one is an account now (disable it instead). */
export async function revokeStaffInvite(
  em: EntityManager,
  actorId: string,
  inviteId: string,
  clock: Clock,
): Promise<StaffInviteView> {
  const now = clock.now();
  return em.transactional(async (tem) => {
    const invite = await tem.findOne(StaffInvite, { id: inviteId }, { populate: ['invitedBy'] });
    if (!invite) throw new NotFoundError('No invite with this id.');
    if (invite.acceptedAt) {
      throw new ConflictError('This invite was already accepted: disable the account in Users instead.');
    }
    if (!invite.revokedAt) {
      invite.revokedAt = now;
      invite.revokedBy = tem.getReference(User, actorId);
      recordActivity(tem, {
        action: 'user.invite_revoked',
        subjectType: 'staff_invite',
        subjectId: invite.id,
        actor: { type: 'user', id: actorId },
        description: `Revoked the invite of ${invite.email}`,
        properties: { email: invite.email },
      });
      await tem.flush();
    }
    return toInviteView(invite, now);
  });
}

/**
 * The invite link's page: the invitee chooses a password and arrives signed in, with the role
 * the admin gave. The link proves the address. A made-up or expired token is refused before any
 * lookup, a spent or revoked one before any hashing.
 */
export async function acceptStaffInvite(
  em: EntityManager,
  input: AcceptInviteInput,
  ctx: AccountContext,
): Promise<SignedInSession> {
  const data = acceptInviteInput.parse(input);
  const now = ctx.clock.now();
  const invalid = () => new ValidationError(INVITE_LINK_INVALID, { token: [INVITE_LINK_INVALID] });
  if (!isLinkTokenGenuine(ctx.settings.linkKeys, 'staff_invite', data.token, now)) throw invalid();
  await enforceThrottle(em, THROTTLES.linkUsePerIp, ctx.origin.ip, ctx.clock);
  const tokenHash = hashToken(data.token);
  const usable = async (tem: EntityManager, lock: boolean) => {
    const invite = await tem.findOne(StaffInvite, { tokenHash }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    return invite && !invite.acceptedAt && !invite.revokedAt && invite.expiresAt > now ? invite : null;
  };
  if (!(await usable(em, false))) throw invalid();
  const passwordHash = await hashPassword(data.password, ctx.settings.passwordHashCost);
  return em.transactional(async (tem) => {
    const invite = await usable(tem, true);
    if (!invite) throw invalid();
    if (await tem.count(User, { email: invite.email })) {
      throw new ConflictError('This address already has a Handover account: ask an admin to give it a staff role.');
    }
    const user = tem.create(User, {
      email: invite.email,
      role: invite.role,
      passwordHash,
      emailVerifiedAt: now,
      name: data.name ?? null,
      lastLoginAt: now,
    });
    invite.acceptedAt = now;
    invite.acceptedUser = user;
    const session = openSession(tem, user, ctx.origin, ctx.settings.sessionTtlMs, ctx.clock);
    recordActivity(tem, {
      action: 'user.invite_accepted',
      subjectType: 'user',
      subjectId: user.id,
      actor: { type: 'user', id: user.id },
      description: `Joined as ${invite.role}`,
      properties: { inviteId: invite.id, role: invite.role },
    });
    await tem.flush();
    return session;
  });
}

function toInviteView(invite: StaffInvite, now: Date): StaffInviteView {
  const status: StaffInviteStatus = invite.acceptedAt
    ? 'accepted'
    : invite.revokedAt
      ? 'revoked'
      : invite.expiresAt <= now
        ? 'expired'
        : 'pending';
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role,
    status,
    invitedByEmail: (invite.invitedBy as User).email,
    expiresAt: invite.expiresAt,
    acceptedAt: invite.acceptedAt ?? null,
    acceptedUserId: invite.acceptedUser?.id ?? null,
    revokedAt: invite.revokedAt ?? null,
    createdAt: invite.createdAt,
  };
}
