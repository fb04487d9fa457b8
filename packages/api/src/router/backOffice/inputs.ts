import { z } from 'zod';

/** A page of a keyset list: the cursor the previous page returned, or none for the first. */
export const keysetInput = {
  cursor: z.string().max(512).nullish(),
  limit: z.number().int().min(1).max(200).default(25),
  order: z.enum(['asc', 'desc']).default('desc'),
};

/** A page of a small list, counted exactly. */
export const offsetInput = {
  page: z.number().int().min(1).default(1),
  perPage: z.number().int().min(1).max(200).default(25),
};

export const offsetOf = (input: { page: number; perPage: number }) => ({
  limit: input.perPage,
  offset: (input.page - 1) * input.perPage,
});

export const dateRange = {
  createdFrom: z.coerce.date().optional(),
  createdTo: z.coerce.date().optional(),
};

export const searchText = z.string().trim().max(200).optional();

/** Bulk actions take at most a page of records at once. */
export const recordIds = z.array(z.uuid()).min(1, 'select at least one record').max(200);
