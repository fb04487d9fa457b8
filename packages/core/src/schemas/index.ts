// Browser-safe: zod schemas shared by the server and the portal and back office forms.
// Nothing here may import the database or Node modules.

// The statuses forms filter and show, as the model names them.
export { FULFILLMENT_STATUSES } from '@handover/db/status';
export * from '../accounts/schemas';
export * from '../checkout/schemas';
export { GATEWAY_LABELS } from '../payments/gateways';
export * from '../refunds/schemas';
export * from './m365Domain';
export * from './manual';
export * from './product';
