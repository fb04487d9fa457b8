import { formatDataVolume } from '@handover/contracts/drivers/esim';
import {
  type EsimTopUpConfig,
  type EsimTopUpInput,
  esimTopUpContract,
  esimTopUpInputSchema,
} from '@handover/contracts/drivers/esim-top-up';
import {
  done,
  type FulfillmentAdapter,
  findCustomerEsim,
  isEsimInUse,
  PermanentError,
  updateEsimUsage,
} from '@handover/core';
import type { EsimAccessClient } from '../esim/esimAccessClient';
import { esimTime } from '../esim/profileData';

/**
 * Seed 004's eSIM top-up: a data add-on bought like any product and applied to one of the
 * buyer's eSIMs, with the line's idempotency key as eSIM Access's transactionId so a retry
 * applies it once.
 */
export function createEsimTopUpAdapter(client: EsimAccessClient): FulfillmentAdapter<EsimTopUpConfig, EsimTopUpInput> {
  return {
    ...esimTopUpContract,
    deliveryModels: ['data_bundle', 'billing_service'],
    retryPolicy: { maxAttempts: 4, backoffSeconds: [5, 30, 120] },
    describe: (input) => ({ subject: input.iccid }),
    async checkOrderLine(em, line): Promise<Record<string, string[]>> {
      const { iccid } = esimTopUpInputSchema.parse(line);
      return (await isEsimInUse(em, iccid)) ? {} : { iccid: ['Choose one of your eSIMs'] };
    },
    steps: [
      {
        name: 'apply_top_up',
        label: 'Adding the data to your eSIM',
        async run({ input, config, record, em, clock, idempotencyKey }) {
          const esim = await findCustomerEsim(em, record.userId, input.iccid);
          if (!esim) throw new PermanentError('That eSIM is not in your account, or it was replaced', 'esim_not_found');
          if (!config.forPackages.includes(esim.packageCode)) {
            throw new PermanentError(
              `This add-on does not fit the eSIM's plan (${esim.packageCode})`,
              'package_mismatch',
            );
          }
          const applied = await client.topUp({ iccid: input.iccid, packageCode: config.packageCode, idempotencyKey });
          await updateEsimUsage(
            em,
            input.iccid,
            { totalVolumeBytes: applied.totalVolumeBytes, expiresAt: esimTime(applied.expiresAt) },
            clock.now(),
          );
          return done(
            {
              iccid: input.iccid,
              packageCode: config.packageCode,
              totalVolumeBytes: applied.totalVolumeBytes,
              expiresAt: applied.expiresAt,
            },
            { externalReferenceId: input.iccid },
          );
        },
      },
    ],
    // Applied is final: the data is on the eSIM.
    completedStatus: 'active',
    result(outputs) {
      const applied = outputs.apply_top_up ?? {};
      return {
        eSIM: applied.iccid,
        'Data on the eSIM now':
          typeof applied.totalVolumeBytes === 'number' ? formatDataVolume(applied.totalVolumeBytes) : undefined,
      };
    },
    async testConnection(config) {
      const addOn = await client.findPackage(config.packageCode);
      return addOn
        ? {
            ok: true,
            message: `eSIM Access sells ${addOn.name} at ${(addOn.price / 10_000).toFixed(2)} USD. Nothing was bought.`,
          }
        : { ok: false, message: `eSIM Access answered, but does not sell package ${config.packageCode}.` };
    },
  };
}
