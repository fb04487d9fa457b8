import { TRPCClientError } from '@trpc/client';

export interface ApiProblem {
  message: string;
  /** Field name → messages, from the server's validation (same schema as the form). */
  fieldErrors: Record<string, string[]>;
  code: string | null;
  /** Where the person can go about it (seed 004: `manage`, the service they already have). */
  links: Record<string, string>;
}

/** What went wrong with a call, in words for the page; never a stack trace. */
export function describeProblem(error: unknown): ApiProblem {
  if (error instanceof TRPCClientError) {
    const data = error.data as
      | { code?: string; fieldErrors?: Record<string, string[]> | null; links?: Record<string, string> | null }
      | undefined;
    const network = error.message === 'Failed to fetch' || error.message.includes('NetworkError');
    return {
      message: network ? 'We could not reach Handover. Check your connection and try again.' : error.message,
      fieldErrors: data?.fieldErrors ?? {},
      code: data?.code ?? null,
      links: data?.links ?? {},
    };
  }
  return { message: 'Something went wrong. Please try again.', fieldErrors: {}, code: null, links: {} };
}

export const isUnauthorized = (error: unknown) => describeProblem(error).code === 'UNAUTHORIZED';
