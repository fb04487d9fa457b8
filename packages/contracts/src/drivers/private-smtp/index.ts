import { z } from 'zod';
import { emailSchema } from '../../accounts';
import { defineDriverContract } from '../../driverContract';
import { isDomainName, normalizeHostname } from '../../hostname';
import { HOSTING_PLATFORMS, type HostingPlatform } from '../../statuses';

/** Seed 001's product: mailboxes on the customer's own domains, through Mailin.ai. */
export const PRIVATE_SMTP_DRIVER = 'private-smtp';

/** Seed 001: `inboxes_per_domain` is 1 to 3, one prefix variant per inbox. */
export const MAX_INBOXES_PER_DOMAIN = 3;
/** Not in the seed: bounds one order (and one checkout's Mailin.ai calls). */
export const MAX_PRIVATE_SMTP_DOMAINS = 50;
/** Seed 001: "Each prefix variant must match pattern `^[a-zA-Z0-9._-]+$`". */
export const PREFIX_PATTERN = /^[a-zA-Z0-9._-]+$/;

/**
 * A product's configuration: how the mailbox job is followed (seed 001 step 6.3: every 10 s, at
 * most 30 times) and how soon a pending transfer is first looked at again by the cron.
 */
export const privateSmtpConfigSchema = z.object({
  pollIntervalSeconds: z.number().min(0.05).max(600).default(10),
  maxPolls: z.number().int().min(1).max(1000).default(30),
  transferCheckMinutes: z.number().min(0).max(1440).default(5),
});
export type PrivateSmtpConfig = z.output<typeof privateSmtpConfigSchema>;

/** One domain of the list, with the line of the text it was on (messages name it). */
export interface DomainLine {
  domain: string;
  line: number;
}

/**
 * Seed 001 step 1.3: domains "comma or newline separated". Each is normalised as DNS carries it
 * (punycode, lower case, no trailing dot); what is not a domain, and a domain given twice, is
 * refused with its line named. An already parsed list (`DomainLine[]`) is taken as it is.
 */
export function parseDomainList(value: string | readonly (string | DomainLine)[]): {
  domains: DomainLine[];
  problems: string[];
} {
  const entries: { text: string; line: number }[] =
    typeof value === 'string'
      ? value
          .split(/\r\n|\r|\n/)
          .flatMap((text, index) => text.split(',').map((part) => ({ text: part, line: index + 1 })))
      : value.map((entry, index) =>
          typeof entry === 'string' ? { text: entry, line: index + 1 } : { text: entry.domain, line: entry.line },
        );
  const domains: DomainLine[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const { text, line } of entries) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (!isDomainName(trimmed)) {
      problems.push(`Line ${line}: “${trimmed}” is not a domain name such as mybusiness.com (no http:// or path)`);
      continue;
    }
    const domain = normalizeHostname(trimmed);
    const first = seen.get(domain);
    if (first !== undefined) {
      problems.push(`Line ${line}: ${domain} is already on line ${first}`);
      continue;
    }
    seen.set(domain, line);
    domains.push({ domain, line });
  }
  if (domains.length === 0 && problems.length === 0) problems.push('Enter at least one domain, one per line');
  if (domains.length > MAX_PRIVATE_SMTP_DOMAINS) {
    problems.push(`Order at most ${MAX_PRIVATE_SMTP_DOMAINS} domains at once`);
  }
  return { domains, problems };
}

const domainLineSchema = z.object({ domain: z.string(), line: z.number().int().min(1) });
const domainListSchema = z
  .union(
    [z.string().max(20_000, 'Keep the list under 20,000 characters'), z.array(z.union([z.string(), domainLineSchema]))],
    {
      error: 'Enter your domains, one per line or separated by commas',
    },
  )
  .transform((value, ctx) => {
    const { domains, problems } = parseDomainList(value);
    for (const message of problems) ctx.issues.push({ code: 'custom', message, input: value });
    return domains;
  });

/** The part of a mailbox address before the @ (seed 001: `{prefix}@{domain}`). */
export const prefixSchema = z
  .string()
  .trim()
  .min(1, 'Enter a prefix, such as john for john@yourdomain.com')
  .max(64, 'Use at most 64 characters')
  .regex(PREFIX_PATTERN, 'Use only letters, digits, dots, dashes and underscores (no spaces or @)');

const personName = (what: string) =>
  z.string().trim().min(1, `Enter the ${what}`).max(100, 'Use at most 100 characters');

/** Seed 001: `prefix_variants` with `prefix_variants_details` (a first and last name per prefix). */
export const prefixVariantSchema = z.object({
  prefix: prefixSchema,
  firstName: personName('first name'),
  lastName: personName('last name'),
});
export type PrefixVariant = z.output<typeof prefixVariantSchema>;

const optionalText = <T extends z.ZodType<string | null, string | null>>(inner: T) =>
  z
    .string()
    .trim()
    .nullish()
    .transform((value) => (value ? value : null))
    .pipe(inner);

const optionalUrl = optionalText(
  z
    .url({ protocol: /^https?$/, error: 'Enter a web address starting with http:// or https://' })
    .max(2048, 'Use a web address of at most 2048 characters')
    .nullable(),
);

/** What a line says besides its domains and credentials (seed 001 step 1.1). */
const lineShape = {
  domains: domainListSchema,
  inboxesPerDomain: z
    .number({ error: 'Choose 1, 2 or 3 inboxes per domain' })
    .int('Choose 1, 2 or 3 inboxes per domain')
    .min(1, 'Choose 1, 2 or 3 inboxes per domain')
    .max(MAX_INBOXES_PER_DOMAIN, 'Choose 1, 2 or 3 inboxes per domain'),
  prefixVariants: z
    .array(prefixVariantSchema, { error: 'Give a prefix for each inbox' })
    .min(1, 'Give a prefix for each inbox')
    .max(MAX_INBOXES_PER_DOMAIN, 'Give at most three prefixes'),
  hostingPlatform: z.enum(HOSTING_PLATFORMS, {
    error: 'Choose where your domains are registered: Spaceship or Namecheap',
  }),
  forwardingUrl: optionalUrl,
  profilePictureUrl: optionalUrl,
  masterInboxEmail: optionalText(emailSchema.nullable()),
  notes: z.string().trim().max(2000, 'Keep the notes under 2000 characters').default(''),
};

/** The registrar credentials as the form asks for them (seed 001 step 1.1, by platform). */
export const registrarCredentialsSchema = z.object({
  spaceshipApiKey: z.string().trim().max(500).default(''),
  spaceshipApiSecret: z.string().trim().max(500).default(''),
  namecheapApiUser: z.string().trim().max(64).default(''),
  namecheapApiKey: z.string().trim().max(500).default(''),
  namecheapIpAllowlisted: z.boolean().default(false),
  namecheapBackupCodes: z.string().trim().max(2000).default(''),
});
export type RegistrarCredentialsFields = z.input<typeof registrarCredentialsSchema>;

/** The credentials a registrar call needs, as they are kept (encrypted) once given. */
export type PlatformCredentials =
  | { platform: 'spaceship'; apiKey: string; apiSecret: string }
  | { platform: 'namecheap'; apiUser: string; apiKey: string; backupCodes: string };

const REQUIRED: Record<HostingPlatform, [keyof z.output<typeof registrarCredentialsSchema>, string][]> = {
  spaceship: [
    ['spaceshipApiKey', 'Enter your Spaceship API key'],
    ['spaceshipApiSecret', 'Enter your Spaceship API secret'],
  ],
  namecheap: [
    ['namecheapApiUser', 'Enter your Namecheap API user (your Namecheap login)'],
    ['namecheapApiKey', 'Enter your Namecheap API key'],
    ['namecheapIpAllowlisted', 'Confirm that our IP address is on your Namecheap API allow-list'],
    ['namecheapBackupCodes', 'Enter your Namecheap backup codes'],
  ],
};

function isHostingPlatform(value: unknown): value is HostingPlatform {
  return typeof value === 'string' && (HOSTING_PLATFORMS as readonly string[]).includes(value);
}

/** Seed 001's platform-specific validation: the chosen registrar's fields, keyed under `credentials`. */
function checkCredentials(platform: unknown, credentials: unknown, ctx: z.RefinementCtx): void {
  if (!isHostingPlatform(platform) || !credentials || typeof credentials !== 'object') return;
  const values = credentials as Record<string, unknown>;
  for (const [field, message] of REQUIRED[platform]) {
    if (!values[field]) ctx.addIssue({ code: 'custom', path: ['credentials', field], message });
  }
}

/** The given credentials of `platform`, without the other registrar's (empty) fields. */
export function platformCredentialsOf(
  platform: HostingPlatform,
  fields: z.output<typeof registrarCredentialsSchema>,
): PlatformCredentials {
  return platform === 'spaceship'
    ? { platform, apiKey: fields.spaceshipApiKey, apiSecret: fields.spaceshipApiSecret }
    : {
        platform,
        apiUser: fields.namecheapApiUser,
        apiKey: fields.namecheapApiKey,
        backupCodes: fields.namecheapBackupCodes,
      };
}

/** Rules across fields: one prefix per inbox, no prefix twice. Run even when a field is wrong, so every error shows at once. */
function checkPrefixes(line: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const variants = Array.isArray(line.prefixVariants) ? (line.prefixVariants as unknown[]) : [];
  const inboxes = line.inboxesPerDomain;
  if (
    typeof inboxes === 'number' &&
    Number.isInteger(inboxes) &&
    inboxes >= 1 &&
    inboxes <= MAX_INBOXES_PER_DOMAIN &&
    variants.length > 0 &&
    variants.length !== inboxes
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['prefixVariants'],
      message: `You chose ${inboxes} inbox${inboxes === 1 ? '' : 'es'} per domain: give exactly ${inboxes} prefix${inboxes === 1 ? '' : 'es'}`,
    });
  }
  const seen = new Map<string, number>();
  for (const [index, variant] of variants.entries()) {
    const prefix = (variant as { prefix?: unknown } | null)?.prefix;
    if (typeof prefix !== 'string' || !prefix.trim()) continue;
    const key = prefix.trim().toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['prefixVariants', index, 'prefix'],
        message: `${prefix.trim()} is already the prefix of inbox ${first + 1}`,
      });
    } else seen.set(key, index);
  }
}

/**
 * One order line as it is stored (pending order, order item): the seed's form without the
 * registrar secrets, which are kept encrypted apart (`platformCredentialId` names them). The
 * server checks checkout with it; the domains may be the text the customer typed or a parsed list.
 */
export const privateSmtpOrderSchema = z
  .object({
    ...lineShape,
    platformCredentialId: z.uuid({ error: 'Enter your registrar credentials' }),
  })
  .check(z.superRefine((line, ctx) => checkPrefixes(line as Record<string, unknown>, ctx), { when: () => true }));
export type PrivateSmtpOrderLine = z.input<typeof privateSmtpOrderSchema>;
export type PrivateSmtpOrder = z.output<typeof privateSmtpOrderSchema>;

/**
 * The order form as the customer fills it in (seed 001 step 1.1 and 1.2): the line and the
 * chosen registrar's credentials. The portal checks it before anything is sent; the credentials
 * are then saved on their own (encrypted) and the line refers to them.
 */
export const privateSmtpOrderFormSchema = z.object({ ...lineShape, credentials: registrarCredentialsSchema }).check(
  z.superRefine(
    (form, ctx) => {
      const line = form as Record<string, unknown>;
      checkPrefixes(line, ctx);
      checkCredentials(line.hostingPlatform, line.credentials, ctx);
    },
    { when: () => true },
  ),
);
export type PrivateSmtpOrderForm = z.input<typeof privateSmtpOrderFormSchema>;

/** What saving a customer's registrar credentials takes: the platform, its fields, and whose they are. */
export const savePlatformCredentialsSchema = z
  .object({
    hostingPlatform: lineShape.hostingPlatform,
    credentials: registrarCredentialsSchema,
    /** The email the order is placed under: only that order may use them. */
    email: emailSchema,
  })
  .check(
    z.superRefine((input, ctx) => checkCredentials(input.hostingPlatform, input.credentials, ctx), {
      when: () => true,
    }),
  )
  .transform((input) => ({
    email: input.email,
    credentials: platformCredentialsOf(input.hostingPlatform, input.credentials),
  }));
export type SavePlatformCredentialsInput = z.input<typeof savePlatformCredentialsSchema>;

/** What one fulfillment record delivers: one domain's mailboxes. */
export const privateSmtpInputSchema = z.object({
  domain: z
    .string()
    .trim()
    .refine(isDomainName, 'Enter a domain name such as mybusiness.com, without http:// or a path')
    .transform(normalizeHostname),
  inboxesPerDomain: lineShape.inboxesPerDomain,
  prefixVariants: lineShape.prefixVariants,
  hostingPlatform: lineShape.hostingPlatform,
  platformCredentialId: z.uuid(),
  forwardingUrl: optionalUrl,
  profilePictureUrl: optionalUrl,
  masterInboxEmail: optionalText(emailSchema.nullable()),
  notes: lineShape.notes,
});
export type PrivateSmtpInput = z.output<typeof privateSmtpInputSchema>;

/** One record per domain: partial registration, the order completes when every domain has its mailboxes. */
export function splitPrivateSmtpOrder(order: PrivateSmtpOrder): PrivateSmtpInput[] {
  // Core may pass the line as stored (the domains as typed): parse it again, which changes nothing parsed.
  const parsed = privateSmtpOrderSchema.safeParse(order);
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error).replace(/\n+/g, '; '));
  const { domains, ...rest } = parsed.data;
  return domains.map(({ domain }) => ({ ...rest, domain }));
}

/** The mailbox addresses of one domain: `{prefix}@{domain}` (seed 001 step 6.1), in lower case. */
export function mailboxAddresses(domain: string, variants: readonly PrefixVariant[]): string[] {
  return variants.map((variant) => `${variant.prefix.toLowerCase()}@${domain}`);
}

export const privateSmtpContract = defineDriverContract({
  driver: PRIVATE_SMTP_DRIVER,
  configSchema: privateSmtpConfigSchema,
  inputSchema: privateSmtpInputSchema,
  formSchema: privateSmtpOrderSchema,
  split: splitPrivateSmtpOrder,
});

/**
 * A customer's changes to an order stopped in `draft` (seed 001 step 5.4): new credentials, and
 * a new name for any domain of it; with neither, the order is simply tried again.
 */
export const resubmitPrivateSmtpSchema = z
  .object({
    orderId: z.uuid(),
    hostingPlatform: lineShape.hostingPlatform.optional(),
    credentials: registrarCredentialsSchema.optional(),
    /** Record id → the domain it should be instead. */
    domains: z
      .record(
        z.uuid(),
        z
          .string()
          .trim()
          .refine(isDomainName, 'Enter a domain name such as mybusiness.com, without http:// or a path')
          .transform(normalizeHostname),
      )
      .default({}),
  })
  .check(
    z.superRefine(
      (input, ctx) => {
        if (input.credentials && !input.hostingPlatform) {
          ctx.addIssue({ code: 'custom', path: ['hostingPlatform'], message: 'Choose Spaceship or Namecheap' });
        }
        if (input.credentials) checkCredentials(input.hostingPlatform, input.credentials, ctx);
      },
      { when: () => true },
    ),
  );
export type ResubmitPrivateSmtpInput = z.input<typeof resubmitPrivateSmtpSchema>;
