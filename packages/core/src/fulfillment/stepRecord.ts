import type { FulfillmentRecord, Order } from '@handover/db';
import type { StepRecord } from './adapter';

/** What a driver's step, compensation or lifecycle call sees of a record and its order. */
export function stepRecordOf(record: FulfillmentRecord, order: Order): StepRecord {
  return {
    id: record.id,
    orderId: order.id,
    orderItemId: record.orderItem.id,
    orderCode: order.orderCode,
    customerEmail: order.email,
    userId: order.user.id,
    driver: record.driver,
    subject: record.subject ?? null,
    position: record.position,
    isTest: record.isTest,
    externalReferenceId: record.externalReferenceId ?? null,
    externalCustomerId: record.externalCustomerId ?? null,
    externalWorkspaceUrl: record.externalWorkspaceUrl ?? null,
  };
}
