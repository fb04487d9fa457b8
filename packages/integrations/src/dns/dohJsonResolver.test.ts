import { TransientError } from '@handover/core';
import { describe, expect, it } from 'vitest';
import { dohJsonAnswer, nameserversFromDohAnswer } from './dohJsonResolver';

describe('nameserversFromDohAnswer', () => {
  it("reads the NS hosts of Google's answer, in lower case without the trailing dot, once each", () => {
    const answer = dohJsonAnswer.parse({
      Status: 0,
      TC: false,
      Question: [{ name: 'mybusiness.com.', type: 2 }],
      Answer: [
        { name: 'mybusiness.com.', type: 2, TTL: 21600, data: 'NS1.PlugSaaS.com.' },
        { name: 'mybusiness.com.', type: 2, TTL: 21600, data: 'ns2.plugsaas.com.' },
        { name: 'mybusiness.com.', type: 2, TTL: 21600, data: 'ns1.plugsaas.com' },
        { name: 'mybusiness.com.', type: 46, TTL: 21600, data: 'NS 8 2 21600 ...' },
      ],
    });
    expect(nameserversFromDohAnswer('mybusiness.com', answer)).toEqual(['ns1.plugsaas.com', 'ns2.plugsaas.com']);
  });

  it('gives no nameservers for NXDOMAIN (Status 3) or an answer without NS records', () => {
    expect(nameserversFromDohAnswer('nowhere.test', { Status: 3 })).toEqual([]);
    expect(nameserversFromDohAnswer('mybusiness.com', { Status: 0 })).toEqual([]);
  });

  it('treats SERVFAIL and other failure statuses as a transient resolver failure', () => {
    expect(() => nameserversFromDohAnswer('mybusiness.com', { Status: 2 })).toThrow(
      new TransientError('DNS-over-HTTPS answered SERVFAIL for mybusiness.com', 'dns_resolver_failed'),
    );
    expect(() => nameserversFromDohAnswer('mybusiness.com', { Status: 5 })).toThrow(/REFUSED/);
  });

  it('refuses a body that is not a JSON DNS answer', () => {
    expect(dohJsonAnswer.safeParse({ Answer: [] }).success).toBe(false);
    expect(dohJsonAnswer.safeParse({ Status: 0, Answer: [{ name: 'a.', type: 2 }] }).success).toBe(false);
  });
});
