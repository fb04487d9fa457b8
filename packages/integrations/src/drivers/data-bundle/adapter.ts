import {
  DATA_NETWORK_IDS,
  type DataBundleConfig,
  type DataBundleInput,
  type DataNetworkId,
  dataBundleContract,
  sizeLabel,
} from '@handover/contracts/drivers/data-bundle';
import {
  alertResellerFloatLow,
  type BundleRecordRef,
  bundleNotices,
  done,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  formatMoney,
  PermanentError,
  type StepContext,
  type StepRecord,
  waitFor,
} from '@handover/core';
import { z } from 'zod';
import {
  type BundleDelivery,
  DuplicateOrderError,
  type FulfillmentRequest,
  InsufficientBalanceError,
} from './atIshareClient';

/** What the driver needs of a network's reseller (AtIshareClient for AT-iShare). */
export interface BundleReseller {
  fulfillOrder(request: FulfillmentRequest, idempotencyKey: string): Promise<BundleDelivery>;
  verifyFulfillment(reference: string): Promise<BundleDelivery>;
  /** What the reseller made for one of Handover's order ids (the record id), newest first. */
  deliveriesFor(orderId: string): Promise<BundleDelivery[]>;
  balance(): Promise<{ amountMinor: number; currency: string }>;
}

export type BundleResellers = Partial<Record<DataNetworkId, BundleReseller>>;

type Ctx = StepContext<DataBundleConfig, DataBundleInput>;
type Step = FulfillmentStepDefinition<DataBundleConfig, DataBundleInput>;

/** Seed 002 phase 7: the first try, then 3 retries 5 min, 15 min and 1 h after the one before. */
export const DATA_BUNDLE_RETRY_POLICY = { maxAttempts: 4, backoffSeconds: [300, 900, 3600] };

/** A bundle the reseller took but has not confirmed is checked this often, this many times. */
export const VERIFY_INTERVAL_MS = 30_000;
export const MAX_VERIFY_POLLS = 20;

const delivered = z.object({ reference: z.string().min(1) });

const refOf = (record: StepRecord): BundleRecordRef => ({
  id: record.id,
  orderId: record.orderId,
  orderCode: record.orderCode,
  userId: record.userId,
});

function steps(resellers: BundleResellers): Step[] {
  const resellerFor = (network: DataNetworkId): BundleReseller => {
    const reseller = resellers[network];
    if (!reseller) throw new PermanentError(`No reseller delivers ${network} bundles here`, 'network_unsupported');
    return reseller;
  };

  return [
    {
      // Purchase flow steps 4–6: the order is paid; the customer hears so by notification and text.
      name: 'confirm_purchase',
      label: 'Order received',
      async run({ config, input, record, em }) {
        if (input.network !== config.network || input.sizeGb !== config.sizeGb) {
          throw new PermanentError(
            `The order asks for ${sizeLabel(input.sizeGb)} of ${input.network}, but the package is ${sizeLabel(config.sizeGb)} of ${config.network}`,
            'package_mismatch',
          );
        }
        await bundleNotices.purchased(em, refOf(record), input);
        return done({ network: input.network, sizeGb: input.sizeGb, phoneNumber: input.phoneNumber });
      },
    },
    {
      // Phase 2 `fulfillOrder(phone, size, orderId)`, under the step's idempotency key: a retry
      // after a timeout, or a crash before Handover wrote the answer down, gets the first delivery.
      name: 'deliver_bundle',
      label: 'Sending the data',
      async run(ctx) {
        const { input, record, idempotencyKey } = ctx;
        const reseller = resellerFor(input.network);
        try {
          const delivery = await reseller
            .fulfillOrder({ phoneNumber: input.phoneNumber, sizeGb: input.sizeGb, orderId: record.id }, idempotencyKey)
            .catch(async (error: unknown) => {
              // The reseller already has a live bundle for this record under an earlier key (an
              // attempt whose answer was lost, retried from the back office): that one is ours.
              if (error instanceof DuplicateOrderError && error.reference) {
                return reseller.verifyFulfillment(error.reference);
              }
              throw error;
            });
          return done(
            { reference: delivery.reference, status: delivery.status },
            { externalReferenceId: delivery.reference },
          );
        } catch (error) {
          // Error 3: retrying on a schedule cannot fill the float; ops top it up, then resume.
          if (error instanceof InsufficientBalanceError) {
            await alertResellerFloatLow(ctx.em, {
              network: input.network,
              size: sizeLabel(input.sizeGb),
              orderCode: record.orderCode,
              balanceMinor: error.balanceMinor,
              requiredMinor: error.requiredMinor,
            });
            return waitFor(
              'awaiting_provider',
              'Waiting for our data supplier; your bundle goes out as soon as it can',
            );
          }
          await tellCustomerOfFailure(ctx, error, { retrying: true });
          throw error;
        }
      },
      // Data cannot be taken back: only a delivery the reseller failed (and refunded) is undone,
      // so that a retry delivers anew. Any other leaves the step done, for ops to settle.
      async compensate({ output, input }) {
        const { reference } = delivered.parse(output);
        const now = await resellerFor(input.network).verifyFulfillment(reference);
        if (now.status !== 'failed') {
          throw new Error(
            `${input.network} delivery ${reference} is ${now.status}: a bundle cannot be taken back; settle it with the reseller before retrying`,
          );
        }
      },
      // The last attempt's answer never came (a timeout, a dropped connection), and the record
      // failed: the reseller may have sent the bundle all the same. It is asked by the record id,
      // without placing anything; a bundle it holds cannot be taken back, so the undo does not
      // finish and ops are alerted to settle it (the customer has the data: no refund is due).
      async compensateAttempt({ input, record }) {
        const [live] = (await resellerFor(input.network).deliveriesFor(record.id)).filter(
          (delivery) => delivery.status !== 'failed',
        );
        if (!live) return;
        throw new Error(
          `${input.network} ${live.status === 'delivered' ? 'delivered' : 'is delivering'} bundle ${live.reference} to ${input.phoneNumber} although its answer never reached us: a bundle cannot be taken back, so the customer has the data and no refund is due. Resolve this undo in Quarantine, then retry the record: it completes with that delivery, without a second bundle`,
        );
      },
    },
    {
      // Phase 2 `verifyFulfillment(reference)`: the network confirms the bundle landed.
      name: 'confirm_delivery',
      label: 'Confirming delivery',
      async run(ctx) {
        const { input, outputs, record, em, clock, pollCount } = ctx;
        const { reference } = delivered.parse(outputs.deliver_bundle);
        try {
          const delivery = await resellerFor(input.network).verifyFulfillment(reference);
          if (delivery.status === 'delivered') {
            await bundleNotices.delivered(em, refOf(record), input, reference);
            return done({ reference, deliveredAt: (delivery.deliveredAt ?? clock.now()).toISOString() });
          }
          if (delivery.status === 'failed') {
            throw new PermanentError(
              `${input.network} could not deliver bundle ${reference}: ${delivery.failureReason ?? 'no reason given'}`,
              'delivery_failed',
            );
          }
          if (pollCount >= MAX_VERIFY_POLLS) {
            throw new PermanentError(
              `${input.network} still had bundle ${reference} pending after ${MAX_VERIFY_POLLS + 1} checks`,
              'delivery_unconfirmed',
            );
          }
          return waitFor('awaiting_provider', `${input.network} is delivering the data`, {
            pollAt: new Date(clock.now().getTime() + VERIFY_INTERVAL_MS),
            maxPolls: MAX_VERIFY_POLLS,
          });
        } catch (error) {
          await tellCustomerOfFailure(ctx, error, { retrying: false });
          throw error;
        }
      },
    },
  ];
}

/**
 * Phase 8: after a failed attempt the customer is texted "Retrying…" when another attempt
 * follows (`retrying`), and "Unable to complete order" after the last one or an error no retry
 * can fix. Sent before the engine writes the attempt down, each at most once per attempt.
 */
async function tellCustomerOfFailure(ctx: Ctx, error: unknown, { retrying }: { retrying: boolean }): Promise<void> {
  await bundleNotices.failedAttempt(ctx.em, refOf(ctx.record), ctx.input, {
    attempt: ctx.attempt,
    permanent: error instanceof PermanentError,
    announceRetry: retrying,
  });
}

/**
 * Seed 002's `data-bundle` driver: a package (network and size) delivered to a phone number by
 * the network's reseller, confirmed by its reference, with the customer told by text and in the
 * app. A short reseller float holds bundles (awaiting_provider) instead of failing them.
 */
export function createDataBundleAdapter(
  resellers: BundleResellers,
): FulfillmentAdapter<DataBundleConfig, DataBundleInput> {
  const sold = DATA_NETWORK_IDS.filter((network) => resellers[network]);
  return {
    ...dataBundleContract,
    configSchema: dataBundleContract.configSchema.refine((config) => resellers[config.network] !== undefined, {
      path: ['network'],
      message: `No reseller is set up for this network here; choose ${sold.join(' or ') || 'another'}`,
    }),
    deliveryModels: ['data_bundle'],
    retryPolicy: DATA_BUNDLE_RETRY_POLICY,
    notifyOnRetry: true,
    steps: steps(resellers),
    describe: (input) => ({ subject: input.phoneNumber, network: input.network, phoneNumber: input.phoneNumber }),
    result: (outputs, input) => ({
      network: input.network,
      size: sizeLabel(input.sizeGb),
      phoneNumber: input.phoneNumber,
      reference: outputs.confirm_delivery?.reference ?? outputs.deliver_bundle?.reference ?? null,
      deliveredAt: outputs.confirm_delivery?.deliveredAt ?? null,
    }),
    async syncStatus({ record, input, outputs }) {
      const reseller = resellers[input.network];
      const reference = record.externalReferenceId ?? delivered.parse(outputs.deliver_bundle).reference;
      if (!reseller)
        return { status: 'failed', message: `No reseller delivers ${input.network} bundles here any more` };
      try {
        const delivery = await reseller.verifyFulfillment(reference);
        const details = {
          reference,
          status: delivery.status,
          deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
        };
        if (delivery.status === 'delivered') return { status: 'active', details };
        if (delivery.status === 'pending') return { status: 'pending', message: 'not confirmed yet', details };
        return { status: 'failed', message: delivery.failureReason ?? 'the reseller failed it', details };
      } catch (error) {
        if (error instanceof PermanentError && error.code === 'not_found') {
          return { status: 'missing', message: `${input.network} has no delivery ${reference}` };
        }
        throw error;
      }
    },
    async testConnection(config) {
      const reseller = resellers[config.network];
      if (!reseller) return { ok: false, message: `No reseller is set up for ${config.network} here` };
      const float = await reseller.balance();
      return {
        ok: true,
        message: `The ${config.network} reseller answered: its float holds ${formatMoney(float.amountMinor, float.currency)}`,
      };
    },
  };
}
