import { PRIVATE_SMTP_DRIVER } from '@handover/contracts/drivers/private-smtp';
import {
  announceOrderInProgress,
  claimPlatformCredentials,
  completeDomainTransfer,
  domainInUseMessage,
  domainsWithMailboxes,
  done,
  emailNameserverFailure,
  failDomainTransfer,
  findDomainsInUse,
  findDomainTransfer,
  markNameserversFailed,
  markNameserversUpdated,
  markTransferStillPending,
  PermanentError,
  startDomainTransfer,
  TransientError,
  waitFor,
} from '@handover/core';
import { CUSTOMER_FIXABLE_CODES, draftReason, setRegistrarNameservers } from './registrars';
import {
  type Context,
  domainStatusOutput,
  hasMailboxes,
  isRegistered,
  mailinOf,
  outputOf,
  type PrivateSmtpDeps,
  type Step,
  transferKey,
  transferOutput,
} from './steps';

/** Waits for the customer: the email says what failed and how to fix it, the order page the same in short. */
async function waitForCustomer(
  deps: PrivateSmtpDeps,
  ctx: Context,
  code: string,
  reason: string,
  platform = ctx.input.hostingPlatform,
) {
  await emailNameserverFailure(ctx.em, {
    credentialId: ctx.input.platformCredentialId,
    orderId: ctx.record.orderId,
    orderCode: ctx.record.orderCode,
    recipient: ctx.record.customerEmail,
    domain: ctx.input.domain,
    platform,
    code,
    reason,
    clientIp: deps.namecheapClientIp,
    portalUrl: deps.portalUrl,
    now: ctx.clock.now(),
  });
  return waitFor('draft', draftReason(code, platform, ctx.input.domain));
}

/** The customer's registrar credentials, bound to this order; null when they are gone. */
function credentialsOf(ctx: Context) {
  return claimPlatformCredentials(ctx.em, ctx.services.secrets, {
    credentialId: ctx.input.platformCredentialId,
    orderId: ctx.record.orderId,
  });
}

/** Seed 001 steps 4.1–4.3 and 5.1–5.3, one domain at a time, each with what it leaves behind. */
export function domainSteps(deps: PrivateSmtpDeps): Step[] {
  return [
    {
      // Seed 001 step 4.1–4.2: the order is ours to automate; a domain that has its mailboxes is skipped.
      name: 'check_domain',
      label: 'Checking your domain',
      async run(ctx) {
        const { input, record, em } = ctx;
        mailinOf(deps);
        const inUse = await findDomainsInUse(em, PRIVATE_SMTP_DRIVER, [input.domain], {
          asSeenBy: { recordId: record.id, checkStep: 'check_domain' },
        });
        if (inUse.size > 0) throw new PermanentError(domainInUseMessage(input.domain), 'domain_in_use');
        if (!(await credentialsOf(ctx))) {
          return waitForCustomer(
            deps,
            ctx,
            'credentials_missing',
            'the credentials given with the order are no longer held',
          );
        }
        const skip = (await domainsWithMailboxes(em, record.orderId)).has(input.domain);
        await announceOrderInProgress(em, {
          orderId: record.orderId,
          orderCode: record.orderCode,
          userId: record.userId,
        });
        return done({ domain: input.domain, skip });
      },
    },
    {
      // Seed 001 step 4.3: registered and active at Mailin.ai, or to be transferred.
      name: 'check_domain_status',
      label: 'Looking the domain up at our mail platform',
      async run(ctx) {
        if (hasMailboxes(ctx)) return done({ registered: true });
        const status = await mailinOf(deps).domainStatus(ctx.input.domain);
        // "Network error - will retry later".
        if (status.status === 'network_error') throw status.error;
        return status.status === 'active'
          ? done({ registered: true, mailinDomainId: status.domainId })
          : done({ registered: false, mailinStatus: status.status });
      },
    },
    {
      // Seed 001 step 5.2: Mailin.ai takes the domain and names the nameservers.
      name: 'transfer_domain',
      label: 'Moving the domain to our mail platform',
      async run(ctx) {
        if (isRegistered(ctx)) return done({ nameservers: [] });
        const platform = ctx.input.hostingPlatform;
        try {
          const { nameservers, alreadyTransferred } = await mailinOf(deps).transferDomain(ctx.input.domain);
          await startDomainTransfer(ctx.em, transferKey(ctx), {
            platform,
            nameservers,
            response: { name_servers: nameservers, alreadyTransferred },
          });
          return done({ nameservers });
        } catch (error) {
          // Seed 001 error case 2 and 7: the transfer row says `failed`, with the error, until a retry.
          if (error instanceof PermanentError || error instanceof TransientError) {
            await failDomainTransfer(ctx.em, transferKey(ctx), { platform, message: error.message, code: error.code });
          }
          throw error;
        }
      },
    },
    {
      // Seed 001 steps 5.3–5.4: the registrar delegates the domain to Mailin.ai's nameservers, or the order waits for the customer.
      name: 'update_nameservers',
      label: 'Pointing the domain at our mail platform at your registrar',
      async run(ctx) {
        if (isRegistered(ctx)) return done({});
        const { nameservers } = outputOf(ctx, 'transfer_domain', transferOutput);
        const key = transferKey(ctx);
        const credentials = await credentialsOf(ctx);
        if (!credentials) {
          return waitForCustomer(
            deps,
            ctx,
            'credentials_missing',
            'the credentials given with the order are no longer held',
          );
        }
        const transfer = await findDomainTransfer(ctx.em, key);
        if (transfer?.nameServerStatus === 'updated' && transfer.hostingPlatform === credentials.platform) {
          return done({ nameservers, platform: credentials.platform });
        }
        try {
          await setRegistrarNameservers(deps.registrars, credentials, ctx.input.domain, nameservers);
        } catch (error) {
          if (error instanceof PermanentError || error instanceof TransientError) {
            const draft = error instanceof PermanentError && CUSTOMER_FIXABLE_CODES.has(error.code);
            await markNameserversFailed(ctx.em, key, {
              platform: credentials.platform,
              message: error.message,
              code: error.code,
              draft,
            });
            if (draft) return waitForCustomer(deps, ctx, error.code, error.message, credentials.platform);
          }
          // Rate limits and outages are retried with backoff (and Retry-After) by the retry policy.
          throw error;
        }
        await markNameserversUpdated(ctx.em, key, credentials.platform, ctx.clock.now());
        return done({ nameservers, platform: credentials.platform });
      },
    },
    {
      // Seed 001 step 7: the domain turns active once DNS shows the delegation; the cron wakes this step to look again.
      name: 'await_transfer',
      label: 'Waiting for the domain to become active',
      async run(ctx) {
        if (isRegistered(ctx)) {
          return done({ mailinDomainId: outputOf(ctx, 'check_domain_status', domainStatusOutput).mailinDomainId });
        }
        const key = transferKey(ctx);
        const now = ctx.clock.now();
        const status = await mailinOf(deps).domainStatus(ctx.input.domain);
        if (status.status === 'active') {
          await completeDomainTransfer(ctx.em, key, now);
          return done({ mailinDomainId: status.domainId });
        }
        const nextCheck = await markTransferStillPending(ctx.em, key, {
          now,
          firstCheckMs: ctx.config.transferCheckMinutes * 60_000,
          error: status.status === 'network_error' ? status.error.message : undefined,
        });
        const { nameservers } = outputOf(ctx, 'transfer_domain', transferOutput);
        return waitFor(
          'awaiting_provider',
          `Waiting for ${ctx.input.domain} to point at ${nameservers.join(', ')}; DNS changes can take up to 48 hours.${
            nextCheck ? ` We look again around ${nextCheck.toISOString().slice(11, 16)} UTC.` : ''
          }`,
        );
      },
    },
  ];
}
