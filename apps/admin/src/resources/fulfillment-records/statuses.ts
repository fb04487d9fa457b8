import { FULFILLMENT_STATUSES } from '@handover/core/schemas';

export const recordStatusChoices = FULFILLMENT_STATUSES.map((id) => ({ id, name: id.replaceAll('_', ' ') }));
