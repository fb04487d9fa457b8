import { describe, expect, it } from 'vitest';
import { captureProviderCalls, type ProviderCall, reportProviderCall } from './providerCalls';

const call = (url: string): ProviderCall => ({
  provider: 'p',
  method: 'GET',
  url,
  request: null,
  response: null,
  httpStatus: 200,
  durationMs: 1,
  error: null,
});

describe('captureProviderCalls', () => {
  it('collects the calls made inside, across awaits, and keeps them on failure', async () => {
    const result = await captureProviderCalls(async () => {
      reportProviderCall(call('/a'));
      await new Promise((resolve) => setTimeout(resolve, 1));
      reportProviderCall(call('/b'));
      throw new Error('boom');
    });
    expect(result.ok).toBe(false);
    expect(result.calls.map((c) => c.url)).toEqual(['/a', '/b']);
  });

  it('keeps concurrent captures apart', async () => {
    const [one, two] = await Promise.all([
      captureProviderCalls(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        reportProviderCall(call('/one'));
      }),
      captureProviderCalls(async () => reportProviderCall(call('/two'))),
    ]);
    expect(one.calls.map((c) => c.url)).toEqual(['/one']);
    expect(two.calls.map((c) => c.url)).toEqual(['/two']);
  });

  it('ignores reports made outside a capture', () => {
    expect(() => reportProviderCall(call('/nowhere'))).not.toThrow();
  });
});
