import type { PrivateSmtpConfig, PrivateSmtpInput } from '@handover/contracts/drivers/private-smtp';
import { type FulfillmentStepDefinition, PermanentError, type StepContext } from '@handover/core';
import { z } from 'zod';
import type { MailinClient } from './mailinClient';
import type { RegistrarClients } from './registrars';

export type Step = FulfillmentStepDefinition<PrivateSmtpConfig, PrivateSmtpInput>;
export type Context = StepContext<PrivateSmtpConfig, PrivateSmtpInput>;

/** What the private SMTP steps work with beside the engine's context. */
export interface PrivateSmtpDeps {
  /** Null when MAILIN_AI_AUTOMATION_ENABLED is off: orders are refused and nothing runs. */
  mailin: MailinClient | null;
  registrars: RegistrarClients;
  /** The customer portal, for the order link in emails. */
  portalUrl: string;
  /** The address customers allow-list at Namecheap, named in the email that asks them to. */
  namecheapClientIp: string | null;
}

export function mailinOf(deps: PrivateSmtpDeps): MailinClient {
  if (!deps.mailin) {
    throw new PermanentError(
      'Private SMTP automation is switched off here (MAILIN_AI_AUTOMATION_ENABLED)',
      'automation_disabled',
    );
  }
  return deps.mailin;
}

/** A done step's output, read with its schema. */
export function outputOf<T extends z.ZodType>(ctx: Context, step: string, schema: T): z.output<T> {
  const parsed = schema.safeParse(ctx.outputs[step]);
  if (!parsed.success) throw new PermanentError(`The ${step} step left no usable output`, 'missing_output');
  return parsed.data;
}

export const checkedDomain = z.object({ domain: z.string(), skip: z.boolean() });
export const domainStatusOutput = z.object({
  registered: z.boolean(),
  mailinDomainId: z.number().int().nullable().default(null),
});
export const transferOutput = z.object({ nameservers: z.array(z.string()).default([]) });
export const mailboxJobOutput = z.object({
  skipped: z.boolean().default(false),
  automationId: z.string().nullable().default(null),
  jobId: z.string().nullable().default(null),
});

/** The domain already has its mailboxes (seed 001 step 4.2): every later step has nothing to do. */
export const hasMailboxes = (ctx: Context): boolean => outputOf(ctx, 'check_domain', checkedDomain).skip;

/** The domain was active at Mailin.ai from the start (seed 001 step 4.3): no transfer, no nameservers. */
export const isRegistered = (ctx: Context): boolean =>
  hasMailboxes(ctx) || outputOf(ctx, 'check_domain_status', domainStatusOutput).registered;

export const transferKey = (ctx: Context) => ({
  orderId: ctx.record.orderId,
  recordId: ctx.record.id,
  domain: ctx.input.domain,
});
