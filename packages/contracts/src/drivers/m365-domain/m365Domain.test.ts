import { describe, expect, it } from 'vitest';
import { type M365DomainOrderForm, m365DomainOrderSchema, splitM365DomainOrder } from '.';

const entry = (domain: string, extra: Partial<M365DomainOrderForm['domains'][number]> = {}) => ({
  domain,
  forwardingUrl: 'https://example.com',
  names: ['John Doe', 'Jane Smith'],
  ...extra,
});
const form = (domains: M365DomainOrderForm['domains'], extra: Partial<M365DomainOrderForm> = {}) => ({
  email: 'customer@example.com',
  phone: '+1 415 555 0100',
  domains,
  ...extra,
});

/** The field errors a form shows, keyed by path. */
function fieldErrors(input: unknown): Record<string, string[]> {
  const result = m365DomainOrderSchema.safeParse(input);
  if (result.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.');
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

describe('m365DomainOrderSchema', () => {
  it('accepts the seed example and normalizes email, phone and domain', () => {
    const order = m365DomainOrderSchema.parse(
      form([entry(' MyBusiness.com. ', { names: [' John Doe ', 'Jane Smith'] })], { email: 'Customer@Example.com' }),
    );
    expect(order).toEqual({
      email: 'customer@example.com',
      phone: '+14155550100',
      domains: [{ domain: 'mybusiness.com', forwardingUrl: 'https://example.com', names: ['John Doe', 'Jane Smith'] }],
    });
  });

  it('takes internationalised domains and keeps them in punycode', () => {
    const order = m365DomainOrderSchema.parse(form([entry('Bücher.de')]));
    expect(order.domains[0]?.domain).toBe('xn--bcher-kva.de');
  });

  it('refuses what is not a domain, with the message on the domain field', () => {
    for (const bad of ['mybusiness', 'https://mybusiness.com', 'mybusiness.com/shop', 'my business.com', '1.2.3.4']) {
      expect(fieldErrors(form([entry(bad)]))).toEqual({
        'domains.0.domain': ['Enter a domain name such as mybusiness.com, without http:// or a path'],
      });
    }
    expect(fieldErrors(form([entry('')]))['domains.0.domain']).toContain('Enter your domain name');
  });

  it('refuses a forwarding URL that is not http(s)', () => {
    for (const bad of ['example.com', 'ftp://example.com', 'javascript:alert(1)']) {
      expect(fieldErrors(form([entry('mybusiness.com', { forwardingUrl: bad })]))).toEqual({
        'domains.0.forwardingUrl': ['Enter a web address starting with http:// or https://'],
      });
    }
  });

  it('takes one to three non-empty names', () => {
    expect(fieldErrors(form([entry('a.com', { names: [] })]))).toEqual({
      'domains.0.names': ['Give at least one name'],
    });
    expect(fieldErrors(form([entry('a.com', { names: ['A', 'B', 'C', 'D'] })]))).toEqual({
      'domains.0.names': ['Give at most three names'],
    });
    expect(fieldErrors(form([entry('a.com', { names: ['A', '  '] })]))).toEqual({
      'domains.0.names.1': ['Enter a name'],
    });
  });

  it('refuses a bad email or phone with a message on that field', () => {
    expect(fieldErrors(form([entry('a.com')], { email: 'not-an-email', phone: '12' }))).toEqual({
      email: ['Enter a valid email address'],
      phone: ['Enter a phone number of 7 to 15 digits, optionally starting with +'],
    });
  });

  it('needs one to twenty domains', () => {
    expect(fieldErrors(form([]))).toEqual({ domains: ['Add at least one domain'] });
    const many = Array.from({ length: 21 }, (_, i) => entry(`shop${i}.com`));
    expect(fieldErrors(form(many))).toEqual({ domains: ['Order at most 20 domains at once'] });
  });

  it('refuses a domain given twice in one order on the second copy, however it is spelled', () => {
    expect(fieldErrors(form([entry('bücher.de'), entry('shop.com'), entry('XN--BCHER-KVA.DE.')]))).toEqual({
      'domains.2.domain': ['xn--bcher-kva.de is already in this order'],
    });
  });
});

describe('splitM365DomainOrder', () => {
  it('makes one record input per domain, each with the customer contact', () => {
    const order = m365DomainOrderSchema.parse(form([entry('a.com'), entry('b.com', { names: ['Bo'] })]));
    expect(splitM365DomainOrder(order)).toEqual([
      {
        domain: 'a.com',
        forwardingUrl: 'https://example.com',
        names: ['John Doe', 'Jane Smith'],
        email: 'customer@example.com',
        phone: '+14155550100',
      },
      {
        domain: 'b.com',
        forwardingUrl: 'https://example.com',
        names: ['Bo'],
        email: 'customer@example.com',
        phone: '+14155550100',
      },
    ]);
  });
});
