import { type DataBundleInput, dataNetwork, sizeLabel } from '@handover/contracts/drivers/data-bundle';
import { formatNationalPhone, toE164 } from '@handover/contracts/phone';
import { FulfillmentRecord, Notification, Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notifyInApp } from '../notifications/outbox';
import { queueSms } from '../notifications/sms';
import {
  bundleDeliveredSms,
  bundleFailedSms,
  bundlePurchasedSms,
  bundleRetryingSms,
} from '../notifications/smsTemplates';

/** The record a notice is about, as a driver's step knows it. */
export interface BundleRecordRef {
  id: string;
  orderId: string;
  orderCode: string;
  userId: string;
}

/**
 * Seed 002's customer messages about one bundle, by text and in the app. Each is sent once per
 * record (and attempt), however often the step that sends it runs: a step may run again after
 * a crash before the engine wrote down that it ran.
 */
export const bundleNotices = {
  /** Purchase flow steps 5–6: a notification and a text once the order is paid. */
  async purchased(em: EntityManager, record: BundleRecordRef, input: DataBundleInput): Promise<void> {
    const what = {
      network: input.network,
      size: sizeLabel(input.sizeGb),
      phone: formatNationalPhone(input.phoneNumber),
    };
    await send(em, record, input, {
      kind: 'purchased',
      template: 'bundle_purchased',
      text: bundlePurchasedSms({ orderCode: record.orderCode, ...what }),
      inApp: {
        type: 'order_status_change',
        title: `Order ${record.orderCode}: ${what.size} ${what.network} data`,
        message: `Paid. We are delivering ${what.size} of ${what.network} data to ${what.phone} now.`,
      },
    });
  },

  /** Phase 8, success, with the reseller's reference. */
  async delivered(em: EntityManager, record: BundleRecordRef, input: DataBundleInput, reference: string) {
    const text = bundleDeliveredSms({
      network: input.network,
      phone: formatNationalPhone(input.phoneNumber),
      reference,
    });
    await send(em, record, input, {
      kind: 'delivered',
      template: 'bundle_delivered',
      text,
      data: { reference },
      inApp: { type: 'data_delivered', title: `${input.network} data delivered`, message: text },
    });
  },

  /**
   * Phase 8, after failed attempt `attempt`: "Retrying…" when another attempt follows (and
   * `announceRetry`), "Unable to complete order" after the record's last attempt or an error no
   * retry can fix (`permanent`). The app's notices and the email are the engine's.
   */
  async failedAttempt(
    em: EntityManager,
    record: BundleRecordRef,
    input: DataBundleInput,
    failure: { attempt: number; permanent: boolean; announceRetry: boolean },
  ) {
    const { maxAttempts } = await em.findOneOrFail(FulfillmentRecord, { id: record.id }, { fields: ['maxAttempts'] });
    if (failure.permanent || failure.attempt >= maxAttempts) {
      await send(em, record, input, {
        kind: 'failed',
        template: 'bundle_failed',
        text: bundleFailedSms({ orderCode: record.orderCode }),
      });
    } else if (failure.announceRetry) {
      await send(em, record, input, {
        kind: `retry:${failure.attempt}`,
        template: 'bundle_retrying',
        text: bundleRetryingSms({ orderCode: record.orderCode }),
        data: { attempt: failure.attempt },
      });
    }
  },
};

interface Notice {
  /** With the record, what makes the notice once-only. */
  kind: string;
  template: string;
  text: string;
  data?: Record<string, unknown>;
  inApp?: { type: string; title: string; message: string };
}

async function send(em: EntityManager, record: BundleRecordRef, input: DataBundleInput, notice: Notice) {
  const data = { orderId: record.orderId, orderCode: record.orderCode, recordId: record.id, ...notice.data };
  await em.transactional(async (tem) => {
    await queueSms(tem, {
      to: await textRecipient(tem, record.orderId, input),
      template: notice.template,
      body: notice.text,
      data,
      dedupeKey: `${record.id}:${notice.kind}`,
    });
    const inApp = notice.inApp;
    if (
      inApp &&
      (await tem.count(Notification, { type: inApp.type, data: { recordId: record.id, notice: notice.kind } })) === 0
    ) {
      notifyInApp(tem, { userId: record.userId, ...inApp, data: { ...data, notice: notice.kind } });
    }
  });
}

/**
 * Who is texted about a bundle: the order's contact phone, or, when it has none (or none that
 * reads as a number of the network's country), the number the bundle went to.
 */
async function textRecipient(em: EntityManager, orderId: string, input: DataBundleInput): Promise<string> {
  const order = await em.findOneOrFail(Order, { id: orderId }, { fields: ['phone'] });
  const contact = order.phone ? toE164(order.phone, dataNetwork(input.network).country) : null;
  return contact ?? input.phoneNumber;
}
