import {
  type PrivateSmtpOrderForm,
  parseDomainList,
  privateSmtpOrderFormSchema,
  type RegistrarCredentialsFields,
} from '@handover/contracts/drivers/private-smtp';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import type { ApiClient } from '../../trpc';
import type { CheckedLine } from '../types';

export interface PrefixRow {
  prefix: string;
  firstName: string;
  lastName: string;
}

export type Credentials = Required<RegistrarCredentialsFields>;

/** The order form as typed (seed 001 step 1.1): the registrar's credentials stay in the browser until checkout. */
export interface Values {
  domains: string;
  inboxesPerDomain: number;
  prefixVariants: PrefixRow[];
  hostingPlatform: '' | 'spaceship' | 'namecheap';
  credentials: Credentials;
  forwardingUrl: string;
  profilePictureUrl: string;
  masterInboxEmail: string;
  notes: string;
}

export const emptyPrefix = (): PrefixRow => ({ prefix: '', firstName: '', lastName: '' });

export const emptyCredentials = (): Credentials => ({
  spaceshipApiKey: '',
  spaceshipApiSecret: '',
  namecheapApiUser: '',
  namecheapApiKey: '',
  namecheapIpAllowlisted: false,
  namecheapBackupCodes: '',
});

export const initialValues = (): Values => ({
  domains: '',
  inboxesPerDomain: 1,
  prefixVariants: [emptyPrefix()],
  hostingPlatform: '',
  credentials: emptyCredentials(),
  forwardingUrl: '',
  profilePictureUrl: '',
  masterInboxEmail: '',
  notes: '',
});

/** One prefix row per inbox: more inboxes add rows, fewer drop the last ones. */
export function withInboxes(values: Values, inboxes: number): Values {
  const rows = values.prefixVariants.slice(0, inboxes);
  while (rows.length < inboxes) rows.push(emptyPrefix());
  return { ...values, inboxesPerDomain: inboxes, prefixVariants: rows };
}

/** Checked with the driver's own form schema, the server's very object; parts are the domains. */
export function checkPrivateSmtp(values: Values): CheckedLine {
  const parsed = privateSmtpOrderFormSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  return { ok: true, input: { ...values }, parts: parsed.data.domains.length };
}

/** The domains as they will be ordered, for the summary. */
export const domainsOf = (text: string): string[] => parseDomainList(text).domains.map((d) => d.domain);

/**
 * Seed 001 step 1.4: the credentials are saved on their own (encrypted on the server) and the
 * line sent to checkout refers to them: they are never part of the order.
 */
export async function saveCredentialsFirst(
  input: Record<string, unknown>,
  { api, email }: { api: ApiClient; email: string },
): Promise<Record<string, unknown>> {
  const { credentials, ...line } = input as unknown as PrivateSmtpOrderForm & Record<string, unknown>;
  const saved = await api.mailboxes.saveCredentials.mutate({
    hostingPlatform: line.hostingPlatform,
    credentials,
    email,
  });
  return { ...line, platformCredentialId: saved.id };
}

/** The last characters of a key: all that is ever shown of it. */
export const keyEnding = (key: string) => (key.trim() ? `ending ${key.trim().slice(-4)}` : 'not given');
