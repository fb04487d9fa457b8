import { z } from 'zod';
import { emailSchema, phoneSchema } from '../../accounts';
import { defineDriverContract } from '../../driverContract';
import { isDomainName, normalizeHostname } from '../../hostname';

/** Seed 000's product: Microsoft 365 mail on the customer's own domain. */
export const M365_DOMAIN_DRIVER = 'm365-domain';

export const MAX_DOMAINS_PER_ORDER = 20;

/** A product's configuration: the inventory pool its Microsoft accounts come from (seed 000's `inventory`). */
export const m365DomainConfigSchema = z.object({
  inventoryPool: z.string().trim().min(1).default('microsoft-365'),
});
export type M365DomainConfig = z.output<typeof m365DomainConfigSchema>;

/**
 * A domain the customer owns, as DNS carries it: internationalised names in punycode, lower
 * case, no trailing dot (`Bücher.de.` becomes `xn--bcher-kva.de`), so one domain has one spelling.
 */
export const customerDomainSchema = z
  .string()
  .trim()
  .min(1, 'Enter your domain name')
  .max(253, 'A domain name has at most 253 characters')
  .refine(isDomainName, 'Enter a domain name such as mybusiness.com, without http:// or a path')
  .transform(normalizeHostname);

/** Seed 000: where the domain's mail is forwarded. */
export const forwardingUrlSchema = z
  .string()
  .trim()
  .pipe(
    z
      .url({ protocol: /^https?$/, error: 'Enter a web address starting with http:// or https://' })
      .max(2048, 'Use a web address of at most 2048 characters'),
  );

/** Seed 000: "Names for the domain (1-3 people)". */
export const domainNamesSchema = z
  .array(z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'))
  .min(1, 'Give at least one name')
  .max(3, 'Give at most three names');

/** One domain of the order form. */
export const m365DomainEntrySchema = z.object({
  domain: customerDomainSchema,
  forwardingUrl: forwardingUrlSchema,
  names: domainNamesSchema,
});

/**
 * Seed 000 phase 1's order form: the customer's email and phone, and one or more domains.
 * The portal form and the server validate with this one object; a domain given twice is
 * refused on the second copy.
 */
export const m365DomainOrderSchema = z
  .object({
    email: emailSchema,
    phone: phoneSchema,
    domains: z
      .array(m365DomainEntrySchema)
      .min(1, 'Add at least one domain')
      .max(MAX_DOMAINS_PER_ORDER, `Order at most ${MAX_DOMAINS_PER_ORDER} domains at once`),
  })
  .superRefine((order, ctx) => {
    const seen = new Set<string>();
    for (const [index, entry] of order.domains.entries()) {
      if (seen.has(entry.domain)) {
        ctx.addIssue({
          code: 'custom',
          path: ['domains', index, 'domain'],
          message: `${entry.domain} is already in this order`,
        });
      }
      seen.add(entry.domain);
    }
  });
export type M365DomainOrderForm = z.input<typeof m365DomainOrderSchema>;
export type M365DomainOrder = z.output<typeof m365DomainOrderSchema>;

/** What one fulfillment record delivers: one domain, with the customer's contact. */
export const m365DomainInputSchema = m365DomainEntrySchema.extend({ email: emailSchema, phone: phoneSchema });
export type M365DomainInput = z.output<typeof m365DomainInputSchema>;

/** One record per domain (the order completes when every domain has). */
export function splitM365DomainOrder(order: M365DomainOrder): M365DomainInput[] {
  return order.domains.map((entry) => ({ ...entry, email: order.email, phone: order.phone }));
}

export const m365DomainContract = defineDriverContract({
  driver: M365_DOMAIN_DRIVER,
  configSchema: m365DomainConfigSchema,
  inputSchema: m365DomainInputSchema,
  formSchema: m365DomainOrderSchema,
  split: splitM365DomainOrder,
});
