import { type Address, USER_ROLES } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  indexes: [
    // The back office's customer list: one role, newest first, searched by part of an email or name.
    { properties: ['role', 'createdAt', 'id'] },
    {
      name: 'users_email_trgm',
      expression: 'create index "users_email_trgm" on "users" using gin ("email" gin_trgm_ops)',
    },
    {
      name: 'users_name_trgm',
      expression: 'create index "users_name_trgm" on "users" using gin ("name" gin_trgm_ops)',
    },
  ],
  properties: {
    id: uuidPk(),
    /** Stored lower-cased; unique. */
    email: p.string().length(320).unique(),
    /** Null for users created by a payment, or by a sign-up not yet confirmed, before they chose a password. */
    passwordHash: p.string().nullable(),
    /**
     * When the owner of the address proved it (a sign-up or verification link, a password reset).
     * Until then the account cannot sign in, so it sees no order placed with the address as a guest.
     */
    emailVerifiedAt: p.datetime().nullable(),
    name: p.string().nullable(),
    phone: p.string().length(32).nullable(),
    role: oneOf(USER_ROLES).default('customer'),
    /** Seed 004's sign-up fields, kept as the customer's profile and editable there. */
    company: p.string().length(200).nullable(),
    /** Seed 004's Customer Number (the operator system's account number). */
    customerNumber: p.string().length(32).nullable(),
    /** Seed 004: the billing address, which is also the service address; captured once. */
    address: p.json<Address>().nullable(),
    /** For products with an age limit. */
    dateOfBirth: p.date().nullable(),
    failedLoginCount: p.integer().default(0),
    lockedUntil: p.datetime().nullable(),
    lastLoginAt: p.datetime().nullable(),
    disabledAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type User = InferEntity<typeof User>;

export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: p.string().length(64).unique(),
    ip: p.string().nullable(),
    userAgent: p.text().nullable(),
    expiresAt: p.datetime(),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type Session = InferEntity<typeof Session>;
