import { describe, expect, it } from 'vitest';
import {
  type PrivateSmtpOrderForm,
  parseDomainList,
  privateSmtpOrderFormSchema,
  privateSmtpOrderSchema,
  resubmitPrivateSmtpSchema,
  savePlatformCredentialsSchema,
  splitPrivateSmtpOrder,
} from '.';

const CREDENTIAL_ID = '6f1c1f4e-6a0b-4c55-9a3c-2f1d9a0b7e11';

const form = (patch: Partial<PrivateSmtpOrderForm> = {}): PrivateSmtpOrderForm => ({
  domains: 'brightbakery.com\nbrightbakery.org',
  inboxesPerDomain: 2,
  prefixVariants: [
    { prefix: 'ama', firstName: 'Ama', lastName: 'Mensah' },
    { prefix: 'sales', firstName: 'Kofi', lastName: 'Boateng' },
  ],
  hostingPlatform: 'spaceship',
  credentials: { spaceshipApiKey: 'key-123', spaceshipApiSecret: 'secret-456' },
  ...patch,
});

function fieldErrors(schema: typeof privateSmtpOrderFormSchema | typeof privateSmtpOrderSchema, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.');
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

describe('parseDomainList', () => {
  it('takes commas and new lines, normalises each domain and keeps its line', () => {
    expect(parseDomainList(' Example.com, test.com.\r\n\nBücher.de ,')).toEqual({
      domains: [
        { domain: 'example.com', line: 1 },
        { domain: 'test.com', line: 1 },
        { domain: 'xn--bcher-kva.de', line: 3 },
      ],
      problems: [],
    });
  });

  it('names the line of what is not a domain and of a domain given twice', () => {
    expect(parseDomainList('shop.com\nhttps://shop.org\nnot a domain\nSHOP.com').problems).toEqual([
      'Line 2: “https://shop.org” is not a domain name such as mybusiness.com (no http:// or path)',
      'Line 3: “not a domain” is not a domain name such as mybusiness.com (no http:// or path)',
      'Line 4: shop.com is already on line 1',
    ]);
    expect(parseDomainList(' \n ').problems).toEqual(['Enter at least one domain, one per line']);
  });
});

describe('privateSmtpOrderFormSchema', () => {
  it('accepts the seed’s form and gives the chosen registrar’s fields', () => {
    const parsed = privateSmtpOrderFormSchema.parse(
      form({ forwardingUrl: '', masterInboxEmail: ' Boss@Example.com ' }),
    );
    expect(parsed.domains.map((d) => d.domain)).toEqual(['brightbakery.com', 'brightbakery.org']);
    expect(parsed).toMatchObject({
      forwardingUrl: null,
      profilePictureUrl: null,
      masterInboxEmail: 'boss@example.com',
    });
  });

  it('refuses a bad prefix, four inboxes, an unknown platform and missing credentials, each at its field', () => {
    const errors = fieldErrors(
      privateSmtpOrderFormSchema,
      form({
        inboxesPerDomain: 4,
        prefixVariants: [{ prefix: 'john doe', firstName: '', lastName: 'Doe' }],
        hostingPlatform: 'godaddy' as never,
      }),
    );
    expect(errors).toEqual({
      inboxesPerDomain: ['Choose 1, 2 or 3 inboxes per domain'],
      'prefixVariants.0.prefix': ['Use only letters, digits, dots, dashes and underscores (no spaces or @)'],
      'prefixVariants.0.firstName': ['Enter the first name'],
      hostingPlatform: ['Choose where your domains are registered: Spaceship or Namecheap'],
    });
    expect(fieldErrors(privateSmtpOrderFormSchema, form({ credentials: { spaceshipApiKey: 'k' } }))).toEqual({
      'credentials.spaceshipApiSecret': ['Enter your Spaceship API secret'],
    });
    expect(fieldErrors(privateSmtpOrderFormSchema, form({ hostingPlatform: 'namecheap', credentials: {} }))).toEqual({
      'credentials.namecheapApiUser': ['Enter your Namecheap API user (your Namecheap login)'],
      'credentials.namecheapApiKey': ['Enter your Namecheap API key'],
      'credentials.namecheapIpAllowlisted': ['Confirm that our IP address is on your Namecheap API allow-list'],
      'credentials.namecheapBackupCodes': ['Enter your Namecheap backup codes'],
    });
  });

  it('wants one prefix per inbox, none twice, and names bad domains by line', () => {
    expect(
      fieldErrors(
        privateSmtpOrderFormSchema,
        form({
          domains: 'a.com\na.com',
          inboxesPerDomain: 3,
          prefixVariants: [
            { prefix: 'Ama', firstName: 'A', lastName: 'M' },
            { prefix: 'ama', firstName: 'A', lastName: 'M' },
          ],
        }),
      ),
    ).toEqual({
      domains: ['Line 2: a.com is already on line 1'],
      prefixVariants: ['You chose 3 inboxes per domain: give exactly 3 prefixes'],
      'prefixVariants.1.prefix': ['ama is already the prefix of inbox 1'],
    });
  });
});

describe('the stored line and its records', () => {
  it('needs the credentials’ reference, never the credentials', () => {
    const { credentials: _, ...line } = form();
    expect(fieldErrors(privateSmtpOrderSchema, line)).toEqual({
      platformCredentialId: ['Enter your registrar credentials'],
    });
  });

  it('splits into one record per domain, from the line as typed or as parsed', () => {
    const { credentials: _, ...rest } = form({ domains: 'b.com, a.com' });
    const line = { ...rest, platformCredentialId: CREDENTIAL_ID };
    const records = splitPrivateSmtpOrder(line as never);
    expect(records.map((r) => r.domain)).toEqual(['b.com', 'a.com']);
    expect(records[0]).toMatchObject({
      inboxesPerDomain: 2,
      hostingPlatform: 'spaceship',
      platformCredentialId: CREDENTIAL_ID,
    });
    expect(splitPrivateSmtpOrder(privateSmtpOrderSchema.parse(line))).toEqual(records);
  });
});

describe('credentials', () => {
  it('keeps only the chosen registrar’s fields', () => {
    expect(
      savePlatformCredentialsSchema.parse({
        hostingPlatform: 'namecheap',
        email: 'A@B.com',
        credentials: {
          spaceshipApiKey: 'left over',
          namecheapApiUser: 'ama',
          namecheapApiKey: 'nc-key',
          namecheapIpAllowlisted: true,
          namecheapBackupCodes: '111 222',
        },
      }),
    ).toEqual({
      email: 'a@b.com',
      credentials: { platform: 'namecheap', apiUser: 'ama', apiKey: 'nc-key', backupCodes: '111 222' },
    });
  });

  it('takes a resubmission with new credentials or nothing at all', () => {
    const orderId = CREDENTIAL_ID;
    expect(resubmitPrivateSmtpSchema.parse({ orderId })).toEqual({ orderId, domains: {} });
    expect(
      resubmitPrivateSmtpSchema
        .safeParse({ orderId, hostingPlatform: 'spaceship', credentials: { spaceshipApiKey: 'k' } })
        .error?.issues.map((i) => i.path.join('.')),
    ).toEqual(['credentials.spaceshipApiSecret']);
  });
});
