import { IDEMPOTENCY_STATUSES, KEY_RING_KINDS, LOGIN_OUTCOMES } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { User } from './users';

/** A password reset link (seed 004): single use, expiring, only its SHA-256 stored. */
export const PasswordResetToken = defineEntity({
  name: 'PasswordResetToken',
  tableName: 'password_reset_tokens',
  indexes: [{ properties: ['user', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    requestedIp: p.string().nullable(),
    createdAt: createdAt(),
  },
});
export type PasswordResetToken = InferEntity<typeof PasswordResetToken>;

/**
 * A link that proves an email address is its owner's (sent on sign-up, and to an older account
 * that signs in before confirming): signed, expiring, single use, only its SHA-256 stored.
 * Whoever opens it chooses the account's password there, so nothing a stranger typed at
 * sign-up survives the owner's confirmation.
 */
export const EmailVerificationToken = defineEntity({
  name: 'EmailVerificationToken',
  tableName: 'email_verification_tokens',
  indexes: [{ properties: ['user', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    requestedIp: p.string().length(64).nullable(),
    createdAt: createdAt(),
  },
});
export type EmailVerificationToken = InferEntity<typeof EmailVerificationToken>;

/**
 * Fixed-window counters for throttles that have no table of their own (sign-ups, password
 * resets, operator-API signatures), one row per scope, key (an IP or an address) and window.
 */
export const ThrottleCounter = defineEntity({
  name: 'ThrottleCounter',
  tableName: 'throttle_counters',
  properties: {
    scope: p.string().length(32).primary(),
    key: p.string().length(320).primary(),
    windowStart: p.datetime().primary(),
    count: p.integer().default(0),
    /** When the window's row may be deleted. */
    expiresAt: p.datetime().index(),
  },
});
export type ThrottleCounter = InferEntity<typeof ThrottleCounter>;

/**
 * Every sign-in attempt, by the email typed (whether or not a user has it) and the caller's IP:
 * what the login throttle counts, so that lockouts never tell which emails exist.
 */
export const LoginAttempt = defineEntity({
  name: 'LoginAttempt',
  tableName: 'login_attempts',
  indexes: [{ properties: ['email', 'createdAt'] }, { properties: ['ip', 'createdAt'] }],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** Lower-cased, as typed. */
    email: p.string().length(320),
    ip: p.string().length(64),
    outcome: oneOf(LOGIN_OUTCOMES),
    createdAt: createdAt(),
  },
});
export type LoginAttempt = InferEntity<typeof LoginAttempt>;

/** A signed operator call's X-Nonce, kept while its timestamp could still be accepted: a reuse is a replay. */
export const OperatorNonce = defineEntity({
  name: 'OperatorNonce',
  tableName: 'operator_nonces',
  properties: {
    nonce: p.string().length(128).primary(),
    expiresAt: p.datetime().index(),
    createdAt: createdAt(),
  },
});
export type OperatorNonce = InferEntity<typeof OperatorNonce>;

/**
 * The first answer to an operator call with an `Idempotency-Key`: the same key replays it, the
 * same key with another request is refused.
 */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_records',
  uniques: [{ properties: ['scope', 'key'] }],
  properties: {
    id: uuidPk(),
    /** Which API the key belongs to (`operator_api`). */
    scope: p.string().length(64),
    key: p.string().length(255),
    /** SHA-256 of method, path and body. */
    requestHash: p.string().length(64),
    status: oneOf(IDEMPOTENCY_STATUSES).default('in_progress'),
    responseStatus: p.integer().nullable(),
    responseBody: p.json<unknown>().nullable(),
    completedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type IdempotencyRecord = InferEntity<typeof IdempotencyRecord>;

/**
 * The key ring (seed 003 §5.4 `credentials_ref`): secrets a product's config names by reference
 * and never holds, such as the HMAC secret shared with a SaaS provider or the Ed25519 key that
 * signs a product's licences. Sealed with SecretBox (secrets:rotate covers it); only a key
 * pair's public half, and a hint of a shared secret, are ever shown.
 */
export const KeyRingEntry = defineEntity({
  name: 'KeyRingEntry',
  tableName: 'key_ring_entries',
  properties: {
    id: uuidPk(),
    /** What configs name: `point-of-sale/hmac`, `invoicing/licences`. */
    ref: p.string().length(120).unique(),
    kind: oneOf(KEY_RING_KINDS),
    /** The shared secret, or the private key (PKCS#8 DER, base64), AES-256-GCM ciphertext with its key id. */
    secretEncrypted: p.text(),
    /** A key pair's public key (SPKI PEM), for the vendor's software to verify licences offline. */
    publicKey: p.text().nullable(),
    /** The last four characters of a shared secret, so staff can tell which one is set. */
    hint: p.string().length(16).nullable(),
    description: p.string().length(300).default(''),
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type KeyRingEntry = InferEntity<typeof KeyRingEntry>;
