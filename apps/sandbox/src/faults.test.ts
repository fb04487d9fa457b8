import { describe, expect, it } from 'vitest';
import { decideFault, faultSpecSchema, parseFaultsEnv } from './faults';

const spec = (input: unknown) => faultSpecSchema.parse(input);

describe('decideFault', () => {
  it('passes requests through when no fault is set', () => {
    expect(decideFault(undefined, '/api/addOrder', () => 0)).toEqual({ kind: 'pass', latencyMs: 0 });
  });

  it('fails a request when the draw falls under the error rate, with its status and Retry-After', () => {
    const s = spec({ errorRate: 0.5, statusCode: 429, retryAfterSeconds: 7, latencyMs: 20 });
    expect(decideFault(s, '/x', () => 0.49)).toEqual({
      kind: 'error',
      latencyMs: 20,
      statusCode: 429,
      retryAfterSeconds: 7,
    });
    expect(decideFault(s, '/x', () => 0.5)).toEqual({ kind: 'pass', latencyMs: 20 });
  });

  it('hangs a request for a timeout fault before anything else', () => {
    expect(decideFault(spec({ timeoutRate: 1, errorRate: 1 }), '/x', () => 0)).toEqual({ kind: 'timeout' });
  });

  it('carries out a request whose answer is then lost, after timeouts and before errors', () => {
    const s = spec({ lostAnswerRate: 0.5, errorRate: 1, latencyMs: 5 });
    expect(decideFault(s, '/x', () => 0.4)).toEqual({ kind: 'lost_answer', latencyMs: 5 });
    expect(decideFault(s, '/x', () => 0.6).kind).toBe('error');
    expect(decideFault(spec({ timeoutRate: 1, lostAnswerRate: 1 }), '/x', () => 0).kind).toBe('timeout');
  });

  it('only touches paths that contain pathIncludes', () => {
    const s = spec({ errorRate: 1, pathIncludes: 'getNameservers' });
    expect(decideFault(s, '/plugsaas/api/addOrder', () => 0).kind).toBe('pass');
    expect(decideFault(s, '/plugsaas/api/getNameservers?orderId=1', () => 0).kind).toBe('error');
  });

  it('touches the paths that contain any of a list', () => {
    const s = spec({ errorRate: 1, pathIncludes: ['getNameservers', 'deleteOrder'] });
    expect(decideFault(s, '/plugsaas/api/addOrder', () => 0).kind).toBe('pass');
    expect(decideFault(s, '/plugsaas/api/deleteOrder', () => 0).kind).toBe('error');
    expect(decideFault(s, '/plugsaas/api/getNameservers?orderId=1', () => 0).kind).toBe('error');
  });
});

describe('parseFaultsEnv', () => {
  it('reads a JSON object of emulator faults', () => {
    expect(parseFaultsEnv('{"plugsaas":{"errorRate":1}}').plugsaas?.statusCode).toBe(503);
    expect(parseFaultsEnv(undefined)).toEqual({});
  });

  it('explains bad input', () => {
    expect(() => parseFaultsEnv('not json')).toThrow(/must be JSON/);
    expect(() => parseFaultsEnv('{"plugsaas":{"errorRate":2}}')).toThrow(/SANDBOX_FAULTS/);
  });
});
