import type { PaymentGatewayName } from './statuses';

/** How gateways are named to customers and staff. */
export const GATEWAY_LABELS: Record<PaymentGatewayName, string> = {
  stripe: 'Card (Stripe)',
  paypal: 'PayPal',
  dodo: 'Dodo Payments',
  wallet: 'Wallet',
  sandbox: 'Sandbox',
};
