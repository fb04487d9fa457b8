import {
  ESIM_REISSUE_ACTION,
  type EsimConfig,
  type EsimInput,
  esimContract,
  formatDataVolume,
} from '@handover/contracts/drivers/esim';
import {
  currentEsimProfile,
  done,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  PermanentError,
  type PreflightFinding,
  type ProviderStatus,
  type StepContext,
  saveEsimProfile,
  TransientError,
  updateEsimUsage,
  waitFor,
} from '@handover/core';
import type { EsimAccessClient, EsimProfile } from './esimAccessClient';
import { esimTime, profileData } from './profileData';

type Step = FulfillmentStepDefinition<EsimConfig, EsimInput>;
type Context = StepContext<EsimConfig, EsimInput>;

/** eSIM Access allocates a profile in seconds; the order page says so meanwhile (seed 004 activate). */
const ALLOCATION_POLL_MS = 5_000;
const ALLOCATION_POLLS = 60;

const owner = (ctx: Context) => ({ recordId: ctx.record.id, orderId: ctx.record.orderId, userId: ctx.record.userId });

/** What the provider's esimStatus means for a delivered eSIM (the reconcile job compares it). */
function providerStatusOf(profile: EsimProfile): ProviderStatus['status'] {
  switch (profile.status) {
    case 'GOT_RESOURCE':
      return 'pending';
    case 'IN_USE':
    case 'USED_UP':
      return 'active';
    case 'SUSPENDED':
      return 'suspended';
    default:
      // CANCEL, REVOKED, USED_EXPIRED, UNUSED_EXPIRED: the profile no longer works.
      return 'cancelled';
  }
}

/**
 * Seed 004's eSIM as a driver: an eSIM Access order (its transactionId our idempotency key), then
 * the allocated profile, whose activation code and QR code are kept encrypted and shown to the
 * customer on request. Reissue is a customer action (a new profile, the old one revoked), status
 * sync reads the profile's state and usage, a full refund revokes it, and the preflight of a
 * scheduled activation checks the plan is still sold and the account can pay for it.
 */
export function createEsimAdapter(client: EsimAccessClient): FulfillmentAdapter<EsimConfig, EsimInput> {
  const orderEsim: Step = {
    name: 'order_esim',
    label: 'Ordering your eSIM',
    async run({ config, idempotencyKey }) {
      const { orderNo } = await client.order({ packageCode: config.packageCode, idempotencyKey });
      return done({ orderNo, packageCode: config.packageCode });
    },
    async compensate({ output }) {
      // The order's profile, once allocated, is revoked (eSIM Access refunds an unused one).
      try {
        await client.revoke((await client.profileOfOrder(String(output.orderNo))).iccid);
      } catch (error) {
        if (error instanceof PermanentError && error.code === 'not_found') return;
        throw error;
      }
    },
  };

  const downloadProfile: Step = {
    name: 'download_profile',
    label: 'Preparing your eSIM profile',
    async run(ctx) {
      let profile: EsimProfile;
      try {
        profile = await client.profileOfOrder(String(ctx.outputs.order_esim?.orderNo));
      } catch (error) {
        if (!(error instanceof TransientError) || error.code !== 'profile_not_ready') throw error;
        return waitFor('awaiting_provider', 'Your eSIM profile is being prepared; this takes a few seconds', {
          pollAt: new Date(ctx.clock.now().getTime() + ALLOCATION_POLL_MS),
          maxPolls: ALLOCATION_POLLS,
        });
      }
      const qr = await client.qrCode(profile.qrCodeUrl);
      await saveEsimProfile(ctx.em, ctx.services.secrets, owner(ctx), profileData(profile, qr));
      return done(
        {
          iccid: profile.iccid,
          esimTranNo: profile.esimTranNo,
          packageCode: profile.packageCode,
          totalVolumeBytes: profile.totalVolumeBytes,
          expiresAt: profile.expiresAt,
        },
        { externalReferenceId: profile.iccid },
      );
    },
    async compensate({ output }) {
      await client.revoke(String(output.iccid));
    },
  };

  return {
    ...esimContract,
    deliveryModels: ['billing_service', 'data_bundle'],
    retryPolicy: { maxAttempts: 4, backoffSeconds: [5, 30, 120] },
    describe: (input) => (input.label ? { subject: input.label } : {}),
    steps: [orderEsim, downloadProfile],
    // Delivered is not yet in use: the customer still scans the QR code (status sync sees it in use).
    completedStatus: 'completed',
    result(outputs) {
      const profile = outputs.download_profile ?? {};
      const expires = typeof profile.expiresAt === 'string' ? esimTime(profile.expiresAt) : null;
      return {
        ICCID: profile.iccid,
        Plan: profile.packageCode,
        Data: typeof profile.totalVolumeBytes === 'number' ? formatDataVolume(profile.totalVolumeBytes) : undefined,
        ...(expires ? { 'Install before': expires.toISOString().slice(0, 10) } : {}),
      };
    },

    async syncStatus(ctx) {
      const current = await currentEsimProfile(ctx.em, ctx.record.id);
      const profile = await client.status(current.iccid);
      await updateEsimUsage(
        ctx.em,
        profile.iccid,
        {
          status: profile.status,
          smdpStatus: profile.smdpStatus,
          totalVolumeBytes: profile.totalVolumeBytes,
          usedBytes: profile.usedBytes,
          expiresAt: esimTime(profile.expiresAt),
        },
        ctx.clock.now(),
      );
      return {
        status: providerStatusOf(profile),
        message: `eSIM ${profile.iccid} is ${profile.status} (${profile.smdpStatus}), ${formatDataVolume(profile.usedBytes)} of ${formatDataVolume(profile.totalVolumeBytes)} used`,
        details: {
          esimStatus: profile.status,
          smdpStatus: profile.smdpStatus,
          usedBytes: profile.usedBytes,
          totalVolumeBytes: profile.totalVolumeBytes,
        },
      };
    },

    async cancel(ctx) {
      await client.revoke((await currentEsimProfile(ctx.em, ctx.record.id)).iccid);
    },

    async preflight({ config }) {
      const findings: PreflightFinding[] = [];
      const plan = await client.findPackage(config.packageCode);
      if (!plan) {
        findings.push({
          check: 'esim_plan_available',
          problem:
            'Your eSIM plan is not available from our provider right now; our team is sorting it out before the date',
          detail: `eSIM Access no longer sells package ${config.packageCode}`,
          customerCanFix: false,
        });
        return findings;
      }
      const balance = await client.balance();
      if (balance < plan.price) {
        findings.push({
          check: 'esim_provider_balance',
          problem: 'Our team is completing the purchase of your eSIM profile before the date',
          detail: `the eSIM Access balance (${(balance / 10_000).toFixed(2)} USD) does not cover ${plan.name} (${(plan.price / 10_000).toFixed(2)} USD)`,
          customerCanFix: false,
        });
      }
      return findings;
    },

    actions: {
      [ESIM_REISSUE_ACTION]: {
        label: 'Reissue eSIM',
        statuses: ['completed', 'active'],
        /**
         * Seed 004 reissue: a new profile of the same plan, then the old one revoked so its QR and
         * activation code stop working. The new order's transactionId is this request's key: a
         * retry finds it, and one already saved means the work is done.
         */
        async run(ctx) {
          const current = await currentEsimProfile(ctx.em, ctx.record.id);
          const { orderNo } = await client.order({
            packageCode: current.packageCode,
            idempotencyKey: ctx.idempotencyKey,
          });
          const message =
            'Your new eSIM is ready: show its QR code on your order page and scan it. The old one no longer works.';
          if (current.providerOrderNo === orderNo) {
            return { message, result: { ICCID: current.iccid }, external: { externalReferenceId: current.iccid } };
          }
          const fresh = await client.profileOfOrder(orderNo);
          await client.revoke(current.iccid);
          const qr = await client.qrCode(fresh.qrCodeUrl);
          await saveEsimProfile(ctx.em, ctx.services.secrets, owner(ctx), profileData(fresh, qr), {
            replaces: current.iccid,
          });
          return { message, result: { ICCID: fresh.iccid }, external: { externalReferenceId: fresh.iccid } };
        },
      },
    },

    async testConnection(config) {
      const plan = await client.findPackage(config.packageCode);
      const balance = await client.balance();
      if (!plan) {
        return { ok: false, message: `eSIM Access answered, but does not sell package ${config.packageCode}.` };
      }
      return {
        ok: true,
        message: `eSIM Access answered: ${plan.name} is on sale at ${(plan.price / 10_000).toFixed(2)} USD; the balance is ${(balance / 10_000).toFixed(2)} USD. Nothing was bought.`,
      };
    },
  };
}
