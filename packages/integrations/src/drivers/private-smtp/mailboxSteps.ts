import { PRIVATE_SMTP_DRIVER } from '@handover/contracts/drivers/private-smtp';
import {
  announceOrderMailboxesComplete,
  automationsOf,
  completeMailboxJob,
  done,
  failMailboxJob,
  mailboxesOf,
  PermanentError,
  planMailboxes,
  recordMailboxJob,
  saveCreatedMailboxes,
  TransientError,
  waitFor,
} from '@handover/core';
import type { MailboxJob } from './mailinClient';
import {
  type Context,
  hasMailboxes,
  mailboxJobOutput,
  mailinOf,
  outputOf,
  type PrivateSmtpDeps,
  type Step,
} from './steps';

/** Seed 001 step 6.4: the job's mailboxes saved with Mailin.ai's ids, the job `completed`, the customer told. */
async function saveJob(ctx: Context, automationId: string, job: MailboxJob): Promise<void> {
  await saveCreatedMailboxes(ctx.em, { recordId: ctx.record.id, automationId, mailboxes: job.mailboxes });
  await completeMailboxJob(ctx.em, {
    automationId,
    orderCode: ctx.record.orderCode,
    userId: ctx.record.userId,
    response: { status: job.status, mailboxes: job.mailboxes },
    now: ctx.clock.now(),
  });
}

/**
 * Look before writing: a job this record started under an earlier key (before a failure and a
 * retry) may have made the mailboxes, or may still be making them. Returns the job to follow.
 */
async function earlierJob(
  deps: PrivateSmtpDeps,
  ctx: Context,
): Promise<Awaited<ReturnType<typeof automationsOf>>[number] | null> {
  for (const automation of await automationsOf(ctx.em, ctx.record.id)) {
    if (!automation.jobUuid) continue;
    if (automation.idempotencyKey === ctx.idempotencyKey) return automation;
    if (automation.status === 'failed') continue;
    let job: MailboxJob;
    try {
      job = await mailinOf(deps).mailboxJobStatus(automation.jobUuid);
    } catch (error) {
      if (error instanceof PermanentError && error.code === 'mailin_job_not_found') {
        await failMailboxJob(ctx.em, { automationId: automation.id, message: 'Mailin.ai no longer knows this job' });
        continue;
      }
      throw error;
    }
    if (job.status === 'failed') {
      await failMailboxJob(ctx.em, { automationId: automation.id, message: job.message ?? 'failed at Mailin.ai' });
      continue;
    }
    if (job.status === 'completed') await saveJob(ctx, automation.id, job);
    return automation;
  }
  return null;
}

/** Seed 001 step 6: the domain's mailboxes, created once, followed until Mailin.ai has made them. */
export function mailboxSteps(deps: PrivateSmtpDeps): Step[] {
  return [
    {
      // Seed 001 steps 6.1–6.2: `{prefix}@{domain}` with strong passwords, in one job under this step's key.
      name: 'create_mailboxes',
      label: 'Creating your mailboxes',
      async run(ctx) {
        if (hasMailboxes(ctx)) return done({ skipped: true });
        const earlier = await earlierJob(deps, ctx);
        if (earlier) return done({ automationId: earlier.id, jobId: earlier.jobUuid });
        const { record, input, em, services, idempotencyKey } = ctx;
        const planned = await planMailboxes(em, services.secrets, {
          orderId: record.orderId,
          userId: record.userId,
          recordId: record.id,
          domain: input.domain,
          variants: input.prefixVariants,
        });
        let jobId: string;
        try {
          ({ jobId } = await mailinOf(deps).createMailboxes(
            planned.map((mailbox) => ({ username: mailbox.email, name: mailbox.name, password: mailbox.password })),
            idempotencyKey,
          ));
        } catch (error) {
          // The domain was active a moment ago: Mailin.ai may not have caught up yet.
          if (error instanceof PermanentError && error.code === 'mailin_domain_not_ready') {
            throw new TransientError(error.message, error.code, { cause: error });
          }
          throw error;
        }
        const automation = await recordMailboxJob(em, {
          orderId: record.orderId,
          recordId: record.id,
          domain: input.domain,
          idempotencyKey,
          jobUuid: jobId,
          count: planned.length,
        });
        return done({ automationId: automation.id, jobId, count: planned.length });
      },
    },
    {
      // Seed 001 step 6.3: the job is checked every 10 s, at most 30 times, until `completed` or `failed`.
      name: 'await_mailboxes',
      label: 'Waiting for the mailboxes to be ready',
      async run(ctx) {
        const { automationId, jobId } = outputOf(ctx, 'create_mailboxes', mailboxJobOutput);
        if (!hasMailboxes(ctx)) {
          if (!automationId || !jobId) throw new PermanentError('No mailbox job was started', 'missing_output');
          const job = await mailinOf(deps)
            .mailboxJobStatus(jobId)
            .catch(async (error: unknown) => {
              if (error instanceof PermanentError)
                await failMailboxJob(ctx.em, { automationId, message: error.message });
              throw error;
            });
          if (job.status === 'failed') {
            const message = `Mailin.ai mailbox job ${jobId} failed: ${job.message ?? 'no reason given'}`;
            await failMailboxJob(ctx.em, {
              automationId,
              message,
              response: { status: job.status, message: job.message },
            });
            throw new PermanentError(message, 'mailin_job_failed');
          }
          if (job.status !== 'completed') {
            const { maxPolls, pollIntervalSeconds } = ctx.config;
            if (ctx.pollCount + 1 >= maxPolls) {
              const message = `Mailin.ai had not finished mailbox job ${jobId} after ${maxPolls} checks`;
              await failMailboxJob(ctx.em, { automationId, message });
              throw new PermanentError(message, 'poll_limit');
            }
            return waitFor('awaiting_provider', 'Our mail platform is creating your mailboxes', {
              pollAt: new Date(ctx.clock.now().getTime() + pollIntervalSeconds * 1000),
              maxPolls,
            });
          }
          await saveJob(ctx, automationId, job);
        }
        const mailboxes = (await mailboxesOf(ctx.em, { orderId: ctx.record.orderId, domain: ctx.input.domain })).filter(
          (m) => m.mailinMailboxId !== null,
        );
        await announceOrderMailboxesComplete(ctx.em, { orderId: ctx.record.orderId, driver: PRIVATE_SMTP_DRIVER });
        const mailinDomainId = mailboxes[0]?.mailinDomainId ?? null;
        return done(
          { mailboxes: mailboxes.map((m) => m.email), mailinDomainId },
          mailinDomainId === null ? undefined : { externalReferenceId: String(mailinDomainId) },
        );
      },
    },
  ];
}
