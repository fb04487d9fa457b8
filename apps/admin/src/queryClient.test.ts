import { TRPCClientError } from '@trpc/client';
import { HttpError } from 'react-admin';
import { describe, expect, it } from 'vitest';
import { shouldRetry } from './queryClient';

const trpcError = (httpStatus: number) =>
  new TRPCClientError('refused', { result: { error: { data: { httpStatus } } } as never });

describe('which failed back office queries are tried again', () => {
  it('never a refusal: signed out, not allowed, not found, invalid', () => {
    for (const status of [400, 401, 403, 404]) expect(shouldRetry(0, new HttpError('no', status))).toBe(false);
  });

  it('a server or network failure, up to three times', () => {
    expect(shouldRetry(0, new HttpError('down', 503))).toBe(true);
    expect(shouldRetry(0, new TypeError('Failed to fetch'))).toBe(true);
    expect(shouldRetry(3, new HttpError('down', 503))).toBe(false);
  });

  it("reads the status of the API client's own errors", () => {
    const error = trpcError(401);
    expect((error.data as { httpStatus?: number } | undefined)?.httpStatus).toBe(401);
    expect(shouldRetry(0, error)).toBe(false);
  });
});
