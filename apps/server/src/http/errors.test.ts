import { NotFoundError } from '@handover/core';
import { describe, expect, it } from 'vitest';
import { describeError } from './errors';

describe('describeError', () => {
  it('answers a lost database connection with 503, in words for the caller', () => {
    const lost = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(describeError(lost)).toEqual({
      status: 503,
      code: 'unavailable',
      message: 'This is briefly unavailable. Try again in a moment.',
    });
    const refused = new Error('insert failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(describeError(refused).status).toBe(503);
  });

  it('keeps any other failure a 500 that names no internals, and a refusal its own status', () => {
    expect(describeError(new Error('duplicate key value violates unique constraint "x"'))).toMatchObject({
      status: 500,
      code: 'internal_error',
    });
    expect(describeError(new NotFoundError('No such order.'))).toMatchObject({
      status: 404,
      message: 'No such order.',
    });
  });
});
