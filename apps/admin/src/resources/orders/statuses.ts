import { ORDER_FULFILLMENT_STATUSES, ORDER_STATUSES, statusChoices } from '@handover/contracts';

export const orderStatusChoices = statusChoices(ORDER_STATUSES);
export const orderFulfillmentChoices = statusChoices(ORDER_FULFILLMENT_STATUSES);
