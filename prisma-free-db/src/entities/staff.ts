import { NOTE_SUBJECTS, STAFF_ROLES } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, uuidPk } from './common';
import { User } from './users';

/** A note staff write on an order or a customer: who wrote it, when; never edited, read newest first. */
export const StaffNote = defineEntity({
  name: 'StaffNote',
  tableName: 'staff_notes',
  indexes: [{ properties: ['subjectType', 'subjectId', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    subjectType: oneOf(NOTE_SUBJECTS),
    subjectId: p.uuid(),
    author: () => p.manyToOne(User).deleteRule('restrict'),
    body: p.text(),
    createdAt: createdAt(),
  },
});
export type StaffNote = InferEntity<typeof StaffNote>;

/**
 * An admin's invitation to join the staff: a signed, expiring, single-use link (only its SHA-256
 * stored) that lets the invitee choose a password and arrive signed in with the role given here.
 */
export const StaffInvite = defineEntity({
  name: 'StaffInvite',
  tableName: 'staff_invites',
  indexes: [{ properties: ['createdAt', 'id'] }],
  properties: {
    id: uuidPk(),
    /** Stored lower-cased. */
    email: p.string().length(320).index(),
    role: oneOf(STAFF_ROLES),
    tokenHash: p.string().length(64).unique(),
    invitedBy: () => p.manyToOne(User).deleteRule('restrict'),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    /** The account the invite made. */
    acceptedUser: () => p.manyToOne(User).nullable().deleteRule('set null'),
    revokedAt: p.datetime().nullable(),
    revokedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: createdAt(),
  },
});
export type StaffInvite = InferEntity<typeof StaffInvite>;
