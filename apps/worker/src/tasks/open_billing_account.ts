import { ensureBillingAccount, NotFoundError, PermanentError } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/**
 * Seed 004 signup: a confirmed customer's client in the billing system (WHMCS, with the customer
 * number) and the mapping. Without a billing system there is nothing to do. A billing system that
 * is down, slow or behind an open breaker throws, so graphile-worker tries again with its backoff;
 * ensureBillingAccount finds before it creates, so a retry after a lost answer never makes a second
 * client. A refusal is logged and left: the client is still made at the first billed need.
 */
export const openBillingAccount = (deps: TaskDeps) =>
  defineTask('open_billing_account', async ({ userId }) => {
    const billing = deps.billing;
    if (!billing) {
      deps.logger.debug({ userId }, 'no billing system configured: no billing client to open at sign-up');
      return;
    }
    try {
      const account = await ensureBillingAccount(deps.engine.em, billing, userId);
      deps.logger.info({ userId, system: account.system, clientId: account.clientId }, 'billing client opened');
    } catch (error) {
      if (error instanceof NotFoundError) {
        deps.logger.warn({ userId }, 'no billing client opened: the customer no longer exists');
        return;
      }
      if (error instanceof PermanentError) {
        deps.logger.warn(
          { userId, system: billing.system, code: error.code, reason: error.message },
          `${billing.system} refused to open the customer's billing client at sign-up; it is tried again at their first billed order or payment-method page`,
        );
        return;
      }
      throw error;
    }
  });
