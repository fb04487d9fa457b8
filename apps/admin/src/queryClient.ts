import { QueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';

/**
 * A refusal (signed out, not allowed, not found, invalid) answers the same on a second try, so
 * only other failures are tried again. react-query's default of three retries with back-off made a
 * signed-out first visit wait seven seconds for its 401 before showing the sign-in form.
 */
export function shouldRetry(failures: number, error: unknown): boolean {
  const status =
    error instanceof TRPCClientError
      ? (error.data as { httpStatus?: number } | undefined)?.httpStatus
      : (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return false;
  return failures < 3;
}

export const queryClient = new QueryClient({ defaultOptions: { queries: { retry: shouldRetry } } });
