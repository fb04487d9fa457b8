import { z } from 'zod';
import type { UserRole } from './statuses';

/**
 * What an API token may do. Each scope opens the procedures of one kind (see the API's
 * procedure kinds); `admin` opens everything. A token works only within its owner's role.
 */
export const API_TOKEN_SCOPES = [
  'orders:read',
  'orders:place',
  'fulfillment:operate',
  'reports:finance',
  'admin',
] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const API_TOKEN_SCOPE_LABELS: Record<ApiTokenScope, string> = {
  'orders:read': 'Read orders, records and logs',
  'orders:place': 'Place orders and act on your own orders',
  'fulfillment:operate': 'Operate fulfillment: retry, cancel, import inventory',
  'reports:finance': 'Finance reports and their downloads',
  admin: 'Administer: products, users, everything',
};

/** The scopes each role may put on a token: never more than the role itself can do. */
export const SCOPES_BY_ROLE: Record<UserRole, readonly ApiTokenScope[]> = {
  customer: ['orders:read', 'orders:place'],
  ops: ['orders:read', 'orders:place', 'fulfillment:operate'],
  finance: ['orders:read', 'orders:place', 'reports:finance'],
  admin: API_TOKEN_SCOPES,
};

/** Whether `granted` (a token's scopes) lets it use `needed`; `admin` lets it use every scope. */
export function scopeGrants(granted: readonly ApiTokenScope[], needed: ApiTokenScope): boolean {
  return granted.includes(needed) || granted.includes('admin');
}

/** The longest a token may live. */
export const MAX_API_TOKEN_DAYS = 366;

export const createApiTokenInput = z.object({
  name: z.string().trim().min(1, 'Name the token, e.g. "shop site"').max(100),
  scopes: z
    .array(z.enum(API_TOKEN_SCOPES))
    .min(1, 'Choose at least one scope')
    .transform((scopes) => [...new Set(scopes)]),
  expiresInDays: z
    .number()
    .int()
    .min(1, 'A token lives at least one day')
    .max(MAX_API_TOKEN_DAYS, `A token lives at most ${MAX_API_TOKEN_DAYS} days`),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;
