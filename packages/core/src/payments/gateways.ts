import type { PaymentGatewayName } from '@handover/db';
import type { PaymentGateway } from './gateway';

/**
 * The gateways this process holds credentials for, by name, built at start-up from the env
 * (packages/integrations' createPaymentGateways). The wallet is not among them: it is ours.
 */
export type PaymentGateways = Partial<Record<PaymentGatewayName, PaymentGateway>>;

/** How gateways are named to customers and staff. */
export const GATEWAY_LABELS: Record<PaymentGatewayName, string> = {
  stripe: 'Card (Stripe)',
  paypal: 'PayPal',
  dodo: 'Dodo Payments',
  wallet: 'Wallet',
  sandbox: 'Sandbox',
};
