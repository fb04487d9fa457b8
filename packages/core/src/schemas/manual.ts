import { z } from 'zod';

/** The order form of a managed (by hand) product: what the customer asks for, in their words. */
export const manualInputSchema = z.object({
  notes: z.string().trim().max(2000, 'Keep it under 2000 characters').default(''),
});
