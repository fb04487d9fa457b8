import { z } from 'zod';
import { emailSchema, linkTokenSchema, nameSchema, passwordSchema } from './accounts';
import { NOTE_SUBJECTS, STAFF_ROLES } from './statuses';

// The back office's own forms: the API validates with these and the back office's forms use them.

export const NOTE_MAX_LENGTH = 2000;

/** A staff note on an order or a customer: short, plain text, never empty. */
export const addNoteInput = z.object({
  subjectType: z.enum(NOTE_SUBJECTS),
  subjectId: z.uuid(),
  body: z
    .string()
    .trim()
    .min(1, 'Write the note before saving it')
    .max(NOTE_MAX_LENGTH, `Keep the note under ${NOTE_MAX_LENGTH} characters`),
});
export type AddNoteInput = z.input<typeof addNoteInput>;

/** An admin invites a staff member: the address the link goes to, and the role they will have. */
export const inviteStaffInput = z.object({
  email: emailSchema,
  role: z.enum(STAFF_ROLES, { error: 'Choose the role: ops, finance or admin' }),
});
export type InviteStaffInput = z.input<typeof inviteStaffInput>;

/** The invite link's page: the invitee chooses their password (and may give their name). */
export const acceptInviteInput = z.object({
  token: linkTokenSchema,
  password: passwordSchema,
  name: nameSchema.optional(),
});
export type AcceptInviteInput = z.input<typeof acceptInviteInput>;
