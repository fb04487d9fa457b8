import {
  PRIVATE_SMTP_DRIVER,
  type PrivateSmtpConfig,
  type PrivateSmtpInput,
  privateSmtpContract,
  privateSmtpOrderSchema,
} from '@handover/contracts/drivers/private-smtp';
import { domainInUseMessage, type FulfillmentAdapter, findDomainsInUse } from '@handover/core';
import { domainSteps } from './domainSteps';
import { mailboxSteps } from './mailboxSteps';
import type { PrivateSmtpDeps } from './steps';

export type { PrivateSmtpDeps } from './steps';

/**
 * Registrar rate limits and Mailin.ai hiccups pass within minutes: five attempts over about a
 * quarter of an hour, a provider's Retry-After winning when longer, before ops are alerted.
 */
export const PRIVATE_SMTP_RETRY_POLICY: NonNullable<FulfillmentAdapter['retryPolicy']> = {
  maxAttempts: 5,
  backoffSeconds: [10, 30, 120, 600],
};

/**
 * Seed 001's private SMTP driver: per domain, Mailin.ai's status; a transfer and the customer's
 * registrar pointed at Mailin.ai's nameservers when it is not registered (the order waits in
 * `draft` for the customer when the registrar refuses); the cron's looks until it is active;
 * then its mailboxes, created once and followed until made. The order completes when every
 * domain has its mailboxes.
 */
export function createPrivateSmtpAdapter(
  deps: PrivateSmtpDeps,
): FulfillmentAdapter<PrivateSmtpConfig, PrivateSmtpInput> {
  return {
    ...privateSmtpContract,
    deliveryModels: ['mailbox_provisioning'],
    // The order form names the address customers allow-list at Namecheap.
    formFacts: deps.namecheapClientIp ? { namecheapClientIp: deps.namecheapClientIp } : {},
    retryPolicy: PRIVATE_SMTP_RETRY_POLICY,
    steps: [...domainSteps(deps), ...mailboxSteps(deps)],
    // Seed 001 step 1.2: automation on, and no domain already with us (the line is named).
    async checkOrderLine(em, form): Promise<Record<string, string[]>> {
      if (!deps.mailin) {
        return { hostingPlatform: ['Private SMTP mailboxes cannot be ordered right now; please try again later.'] };
      }
      const { domains } = privateSmtpOrderSchema.parse(form);
      const inUse = await findDomainsInUse(
        em,
        PRIVATE_SMTP_DRIVER,
        domains.map((d) => d.domain),
      );
      const refused = domains
        .filter((d) => inUse.has(d.domain))
        .map((d) => `Line ${d.line}: ${domainInUseMessage(d.domain)}`);
      return refused.length > 0 ? { domains: refused } : {};
    },
    describe: (input) => ({ subject: input.domain }),
    // What the customer sees once delivered: the logins, never a password (shown on request only).
    result: (outputs, input) => ({
      domain: input.domain,
      mailboxes: outputs.await_mailboxes?.mailboxes ?? [],
      nameservers: outputs.transfer_domain?.nameservers ?? [],
    }),
    // Mailin.ai still has the domain active.
    async syncStatus({ input }) {
      if (!deps.mailin) return { status: 'pending', message: 'Private SMTP automation is switched off here' };
      const status = await deps.mailin.domainStatus(input.domain);
      switch (status.status) {
        case 'active':
          return { status: 'active', details: { mailinDomainId: status.domainId } };
        case 'not_found':
          return { status: 'missing', message: `Mailin.ai no longer has ${input.domain}` };
        case 'pending':
          return {
            status: 'failed',
            message: `${input.domain} is no longer active at Mailin.ai (its nameservers may have been changed)`,
            details: { nameservers: status.nameservers },
          };
        default:
          throw status.error;
      }
    },
    async testConnection() {
      if (!deps.mailin) {
        return {
          ok: false,
          message: 'Private SMTP automation is off: set MAILIN_AI_AUTOMATION_ENABLED and Mailin.ai’s settings',
        };
      }
      // A read that changes nothing: logs in and lists the account's domains.
      await deps.mailin.domainStatus('connection-check.invalid');
      return {
        ok: true,
        message:
          'Logged in to Mailin.ai and listed the account’s domains; registrars are called with each customer’s own keys',
      };
    },
  };
}
