import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { defineDriverContract } from '../../driverContract';
import { PAYMENT_GATEWAYS } from '../../statuses';
import { DATA_NETWORK_IDS, type DataNetworkId, dataNetwork } from './networks';

export * from './networks';

/** Seed 002's product: mobile data delivered to a phone number through a bundle reseller. */
export const DATA_BUNDLE_DRIVER = 'data-bundle';

const networkSchema = z.enum(DATA_NETWORK_IDS, { error: `Choose a network: ${DATA_NETWORK_IDS.join(', ')}` });
const sizeGbSchema = z
  .number({ error: 'Give the bundle size in whole gigabytes' })
  .int('Give the bundle size in whole gigabytes')
  .min(1, 'A bundle has at least 1 GB')
  .max(1000, 'A bundle has at most 1000 GB');

/**
 * A package (seed 002's `packages`): the product's network and size. Its price and whether it is
 * on sale are the product's own (`price`, `active`).
 */
export const dataBundleConfigSchema = z.object({ network: networkSchema, sizeGb: sizeGbSchema });
export type DataBundleConfig = z.output<typeof dataBundleConfigSchema>;

/** A size as the seed writes it: `10GB`. */
export const sizeLabel = (sizeGb: number): string => `${sizeGb}GB`;

export type BundlePhoneCheck = { ok: true; e164: string; national: string } | { ok: false; message: string };

/**
 * Seed 002 error 1 before any money moves: a valid number of the network's country
 * (libphonenumber-js), and one of its operator's prefixes, with a message saying which.
 */
export function checkBundlePhone(networkId: DataNetworkId, input: string): BundlePhoneCheck {
  const network = dataNetwork(networkId);
  const text = input.trim();
  if (!text) return { ok: false, message: 'Enter the phone number the data goes to' };
  const parsed = parsePhoneNumberFromString(text, network.country);
  if (!parsed?.isValid() || parsed.country !== network.country) {
    return { ok: false, message: `Enter a ${countryName(network.country)} mobile number such as ${example(network)}` };
  }
  const national = parsed.formatNational();
  const prefix = `0${parsed.nationalNumber.slice(0, 2)}`;
  if (!network.prefixes.includes(prefix)) {
    return {
      ok: false,
      message: `${national} is not ${article(network.operator)} ${network.operator} number: ${network.id} data goes to numbers starting ${listOf(network.prefixes)}`,
    };
  }
  return { ok: true, e164: parsed.number, national };
}

/**
 * One delivery: the package bought (network and size, copied from the product when the order is
 * placed, and checked against it before delivery) and the number it goes to, stored in E.164.
 */
export const dataBundleInputSchema = z
  .object({
    network: networkSchema,
    sizeGb: sizeGbSchema,
    phoneNumber: z.string().max(32, 'A phone number has at most 32 characters'),
  })
  .transform((input, ctx) => {
    const phone = checkBundlePhone(input.network, input.phoneNumber);
    if (!phone.ok) {
      ctx.addIssue({ code: 'custom', path: ['phoneNumber'], message: phone.message });
      return z.NEVER;
    }
    return { ...input, phoneNumber: phone.e164 };
  });
export type DataBundleInput = z.output<typeof dataBundleInputSchema>;

export const dataBundleContract = defineDriverContract({
  driver: DATA_BUNDLE_DRIVER,
  configSchema: dataBundleConfigSchema,
  inputSchema: dataBundleInputSchema,
  // The form is the input: parsed once, so the record keeps the number in E.164.
  formSchema: dataBundleInputSchema,
});

/**
 * Buying one package from the packages page: the number is checked against the package's
 * network on both sides (checkBundlePhone). `confirmRepeat` says yes to buying the same package
 * for the same number again within the repeat window.
 */
export const bundlePurchaseSchema = z.object({
  productId: z.uuid('Choose a package'),
  phoneNumber: z.string().trim().min(1, 'Enter the phone number the data goes to').max(32),
  gateway: z.enum(PAYMENT_GATEWAYS).optional(),
  confirmRepeat: z.boolean().default(false),
});
export type BundlePurchaseInput = z.input<typeof bundlePurchaseSchema>;

/** A reseller's shop (seed 002's "customer tracked if the user has a shop"). */
export const openShopSchema = z.object({
  name: z.string().trim().min(2, 'Give your shop a name of at least 2 characters').max(100, 'At most 100 characters'),
});

/** Texts to one number: on, or off (the number is never texted). */
export const smsPreferenceSchema = z.object({
  phoneNumber: z.string().trim().min(1, 'Enter a phone number').max(32),
  texts: z.boolean(),
});

/** `an AirtelTigo`, `an MTN` (em-tee-en), `a Telecel`. */
function article(word: string): string {
  return /^([AEIOU]|MTN)/.test(word) ? 'an' : 'a';
}

function countryName(country: string): string {
  return country === 'GH' ? 'Ghana' : country;
}

function example(network: { prefixes: readonly string[] }): string {
  return `${network.prefixes[0] ?? '0'} 123 4567`;
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
