const choices = (values: string[]) => values.map((id) => ({ id, name: id.replaceAll('_', ' ') }));

export const orderStatusChoices = choices([
  'pending_review',
  'approved',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
]);

export const orderFulfillmentChoices = choices([
  'pending',
  'processing',
  'waiting',
  'manual_pending',
  'scheduled',
  'completed',
  'active',
  'partially_failed',
  'failed',
  'cancelled',
  'suspended',
]);
