import { z } from 'zod';
import { addressSchema, companySchema, customerNumberSchema, dateOfBirthSchema } from './customerProfile';
import { USER_ROLES } from './statuses';

// The account forms' schemas: the API validates with them and the portal and back office
// forms use the same objects.

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address' }).max(320));

export const passwordSchema = z
  .string()
  .min(10, 'Use at least 10 characters')
  // scrypt's work grows with the input: a cap keeps a sign-in from being a cheap way to load the server.
  .max(200, 'Use at most 200 characters');

/** Digits with an optional leading +; spaces, dashes, dots and brackets are dropped. */
export const phoneSchema = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+?\d{7,15}$/, 'Enter a phone number of 7 to 15 digits, optionally starting with +'));

/** Control characters and the bidirectional overrides that make text read other than it is stored. */
const HIDDEN_CHARACTERS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** A person's name: the only text of theirs our emails repeat, so short and plain. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(80, 'Use at most 80 characters')
  .refine((name) => !HIDDEN_CHARACTERS.test(name), 'Use letters, spaces and punctuation only');

const sameEmail = (input: { email: string; confirmEmail?: string }) =>
  input.confirmEmail === undefined || input.confirmEmail === input.email;
const EMAILS_DIFFER = { path: ['confirmEmail'], message: 'The two email addresses are not the same' };

/**
 * Sign-up takes only the address (typed twice in the portal, seed 004): a link sent there
 * finishes the account (password and the profile fields), so nothing a stranger types reaches an
 * account or an email before the address is proved. The answer is the same whether or not the
 * address has an account.
 */
export const signUpInput = z
  .object({
    email: emailSchema,
    /** The email typed again; when sent, it must match. */
    confirmEmail: emailSchema.optional(),
  })
  .refine(sameEmail, EMAILS_DIFFER);
export type SignUpInput = z.input<typeof signUpInput>;

/** A token from an emailed link (reset or verification). */
export const linkTokenSchema = z.string().min(20).max(200);

/**
 * The page a sign-up link opens: the account's password, and seed 004's profile fields (optional
 * here, required by the products that need them).
 */
export const verifyEmailInput = z.object({
  token: linkTokenSchema,
  password: passwordSchema,
  name: nameSchema.optional(),
  phone: phoneSchema.optional(),
  company: companySchema.optional(),
  customerNumber: customerNumberSchema.optional(),
  address: addressSchema.optional(),
  dateOfBirth: dateOfBirthSchema.optional(),
});
export type VerifyEmailInput = z.input<typeof verifyEmailInput>;

/** The portal's sign-up form: the email must be typed twice (seed 004). */
export const signUpFormSchema = z
  .object({ email: emailSchema, confirmEmail: emailSchema })
  .refine(sameEmail, EMAILS_DIFFER);

/** Any non-empty password is checked: policy changes must not lock out older accounts. */
export const signInInput = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password').max(200),
});
export type SignInInput = z.input<typeof signInInput>;

export const requestPasswordResetInput = z.object({ email: emailSchema });

export const resetPasswordInput = z.object({
  token: linkTokenSchema,
  password: passwordSchema,
});
export type ResetPasswordInput = z.input<typeof resetPasswordInput>;

/** A field left out stays as it is; null clears it. */
export const updateProfileInput = z.object({
  name: nameSchema.nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  company: companySchema.nullable().optional(),
  customerNumber: customerNumberSchema.nullable().optional(),
  address: addressSchema.nullable().optional(),
  dateOfBirth: dateOfBirthSchema.nullable().optional(),
});
export type UpdateProfileInput = z.input<typeof updateProfileInput>;

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(200),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.input<typeof changePasswordInput>;

export const changeRoleInput = z.object({
  userId: z.uuid(),
  role: z.enum(USER_ROLES),
});
