import { FULFILLMENT_STATUSES, statusChoices } from '@handover/contracts';

export const recordStatusChoices = statusChoices(FULFILLMENT_STATUSES);
