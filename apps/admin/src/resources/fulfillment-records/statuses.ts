import { FULFILLMENT_STATUSES } from '@handover/contracts';

export const recordStatusChoices = FULFILLMENT_STATUSES.map((id) => ({ id, name: id.replaceAll('_', ' ') }));
