import {
  type ApiTokenKind,
  type ApiTokenScope,
  type CreateApiTokenInput,
  createApiTokenInput,
  SCOPES_BY_ROLE,
  type UserRole,
} from '@handover/contracts';
import { ApiToken, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import type { Clock } from '../clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { type RequestOrigin, type SessionUser, toSessionUser } from './sessions';
import { hashToken, newToken } from './tokens';

/** A token says what it is, so that secret scanners and people recognise one that leaked. */
const PREFIX: Record<ApiTokenKind, string> = { personal: 'hov_pat_', service: 'hov_svc_' };
const TOKEN_PATTERN = /^hov_(pat|svc)_[A-Za-z0-9_-]{43}$/;

/** Live tokens a person may hold at once: enough for every system they run, not a way to fill the table. */
export const MAX_LIVE_TOKENS_PER_USER = 50;

/** last_used_* are written at most this often, not on every call. */
const STAMP_EVERY_MS = 60_000;

/** A token as its owner and admins see it: never the token itself. */
export interface ApiTokenView {
  id: string;
  kind: ApiTokenKind;
  name: string;
  scopes: ApiTokenScope[];
  /** The token's first characters. */
  hint: string;
  expiresAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  lastUsedUserAgent: string | null;
  revokedAt: Date | null;
  createdAt: Date;
  owner: { id: string; email: string; role: UserRole };
  /** `active`, `expired` or `revoked`, as of the listing. */
  state: 'active' | 'expired' | 'revoked';
}

/** A token just made: the only time its value is shown. */
export interface CreatedApiToken extends ApiTokenView {
  token: string;
}

/** Who a bearer token speaks for, and what it may do now (its scopes within the owner's current role). */
export interface TokenCaller {
  user: SessionUser;
  tokenId: string;
  tokenName: string;
  kind: ApiTokenKind;
  scopes: ApiTokenScope[];
  expiresAt: Date;
}

function view(token: ApiToken, owner: User, now: Date): ApiTokenView {
  return {
    id: token.id,
    kind: token.kind,
    name: token.name,
    scopes: [...token.scopes],
    hint: token.tokenHint,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt ?? null,
    lastUsedIp: token.lastUsedIp ?? null,
    lastUsedUserAgent: token.lastUsedUserAgent ?? null,
    revokedAt: token.revokedAt ?? null,
    createdAt: token.createdAt,
    owner: { id: owner.id, email: owner.email, role: owner.role },
    state: token.revokedAt ? 'revoked' : token.expiresAt <= now ? 'expired' : 'active',
  };
}

/**
 * Makes a token for `owner`: personal, or (admins only) a service token for a system. Its scopes
 * must be ones the owner's role allows. The value is returned once; only its hash is kept.
 */
export async function createApiToken(
  em: EntityManager,
  owner: SessionUser,
  input: CreateApiTokenInput,
  { kind, clock }: { kind: ApiTokenKind; clock: Clock },
): Promise<CreatedApiToken> {
  const { name, scopes, expiresInDays } = createApiTokenInput.parse(input);
  if (kind === 'service' && owner.role !== 'admin') throw new ForbiddenError('Only admins make service tokens.');
  const allowed = SCOPES_BY_ROLE[owner.role];
  const beyond = scopes.filter((scope) => !allowed.includes(scope));
  if (beyond.length > 0) {
    throw new ValidationError(`A ${owner.role} cannot give a token ${beyond.join(', ')}`, {
      scopes: [`Your role (${owner.role}) allows only ${allowed.join(', ')}`],
    });
  }
  const now = clock.now();
  const live = await em.count(ApiToken, { user: owner.id, revokedAt: null, expiresAt: { $gt: now } });
  if (live >= MAX_LIVE_TOKENS_PER_USER) {
    throw new ValidationError(`You have ${live} live tokens; revoke one you no longer use first.`);
  }
  const token = `${PREFIX[kind]}${newToken()}`;
  const user = await em.findOneOrFail(User, owner.id);
  const row = em.create(ApiToken, {
    kind,
    name,
    user,
    scopes,
    tokenHash: hashToken(token),
    tokenHint: token.slice(0, 12),
    expiresAt: new Date(now.getTime() + expiresInDays * 86_400_000),
    createdAt: now,
  });
  recordActivity(em, {
    action: 'api_token.created',
    subjectType: 'api_token',
    subjectId: row.id,
    actor: { type: 'user', id: owner.id },
    description: `${kind === 'service' ? 'Service' : 'Personal'} API token "${name}" made`,
    properties: { kind, scopes, expiresAt: row.expiresAt.toISOString() },
  });
  await em.flush();
  return { ...view(row, user, now), token };
}

/** Someone's tokens (their own list), or every token (admins, in the back office); newest first. */
export async function listApiTokens(
  em: EntityManager,
  filter: { userId?: string; kind?: ApiTokenKind },
  clock: Clock,
): Promise<ApiTokenView[]> {
  const rows = await em.find(
    ApiToken,
    { ...(filter.userId ? { user: filter.userId } : {}), ...(filter.kind ? { kind: filter.kind } : {}) },
    { populate: ['user'], orderBy: { createdAt: 'desc', id: 'asc' }, limit: 500 },
  );
  const now = clock.now();
  return rows.map((row) => view(row, row.user, now));
}

/** Ends a token at once: its next call is refused. The owner may revoke their own; admins any. */
export async function revokeApiToken(
  em: EntityManager,
  tokenId: string,
  by: SessionUser,
  clock: Clock,
): Promise<ApiTokenView> {
  const row = await em.findOne(ApiToken, tokenId, { populate: ['user'] });
  if (!row || (row.user.id !== by.id && by.role !== 'admin')) throw new NotFoundError('No such API token.');
  if (!row.revokedAt) {
    row.revokedAt = clock.now();
    row.revokedBy = em.getReference(User, by.id);
    recordActivity(em, {
      action: 'api_token.revoked',
      subjectType: 'api_token',
      subjectId: row.id,
      actor: { type: 'user', id: by.id },
      description: `API token "${row.name}" revoked`,
      properties: { kind: row.kind, ownerId: row.user.id },
    });
    await em.flush();
  }
  return view(row, row.user, clock.now());
}

/**
 * The caller behind a bearer token, or null when it is malformed, unknown, revoked, expired or
 * its owner is disabled or has not confirmed their address. Its scopes are cut to what the
 * owner's role allows today, so a person moved to a smaller role takes their tokens' reach down
 * with them. Notes when and from where it was used, as a session does.
 */
export async function resolveApiToken(
  em: EntityManager,
  token: string,
  origin: RequestOrigin,
  clock: Clock,
): Promise<TokenCaller | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const now = clock.now();
  const row = await em.findOne(
    ApiToken,
    { tokenHash: hashToken(token), revokedAt: null, expiresAt: { $gt: now } },
    { populate: ['user'] },
  );
  // As for a session: an account whose address is not confirmed (an older one, or one a stranger
  // started) gets nothing with a token either.
  if (!row || row.user.disabledAt || !row.user.emailVerifiedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > STAMP_EVERY_MS) {
    // A conditional update of its own: concurrent calls stamp once, and no unit of work is flushed.
    await em.nativeUpdate(
      ApiToken,
      { id: row.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: new Date(now.getTime() - STAMP_EVERY_MS) } }] },
      {
        lastUsedAt: now,
        lastUsedIp: origin.ip.slice(0, 64),
        lastUsedUserAgent: origin.userAgent?.slice(0, 500) ?? null,
      },
    );
  }
  const allowed = SCOPES_BY_ROLE[row.user.role as UserRole];
  return {
    user: toSessionUser(row.user),
    tokenId: row.id,
    tokenName: row.name,
    kind: row.kind,
    scopes: row.scopes.filter((scope) => allowed.includes(scope)),
    expiresAt: row.expiresAt,
  };
}
