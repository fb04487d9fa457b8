import { API_TOKEN_KINDS, type ApiTokenScope } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, uuidPk } from './common';
import { User } from './users';

/**
 * A bearer token for the API: personal (acting for its owner) or a service token an admin made
 * for a system (acting for that admin). Only its SHA-256 is stored; its scopes narrow what its
 * owner's role allows, and the owner's role at the time of each call still applies.
 */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  indexes: [{ properties: ['user', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    kind: oneOf(API_TOKEN_KINDS).default('personal'),
    name: p.string().length(100),
    /** Whose authority the token carries: the person, or the admin who made the service token. */
    user: () => p.manyToOne(User).deleteRule('cascade'),
    scopes: p.array<ApiTokenScope>(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: p.string().length(64).unique(),
    /** The token's first characters, so a person can tell tokens apart (`hov_pat_AbC4`). */
    tokenHint: p.string().length(16),
    expiresAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
    lastUsedIp: p.string().length(64).nullable(),
    lastUsedUserAgent: p.text().nullable(),
    revokedAt: p.datetime().nullable(),
    /** Who revoked it: the owner, or an admin. */
    revokedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: createdAt(),
  },
});
export type ApiToken = InferEntity<typeof ApiToken>;

/**
 * An API token's budget of calls, shared by every server process: a token bucket of up to
 * API_TOKEN_BURST calls refilled at API_TOKEN_RATE_PER_MINUTE, taken from in one statement per
 * call (packages/core/src/security/rateLimiter.ts). One row per token that has called, made on
 * its first call; an idle token's row stays (one per token, gone with the token).
 */
export const ApiTokenRateLimit = defineEntity({
  name: 'ApiTokenRateLimit',
  tableName: 'api_token_rate_limits',
  properties: {
    token: () => p.oneToOne(ApiToken).primary().owner().deleteRule('cascade'),
    /** Calls left at `refilledAt`; never below zero, as a refused call takes none. */
    tokens: p.double(),
    refilledAt: p.datetime(),
    /** Whether the last call was let through: what the taking statement tells its caller. */
    lastAllowed: p.boolean(),
  },
});
export type ApiTokenRateLimit = InferEntity<typeof ApiTokenRateLimit>;
