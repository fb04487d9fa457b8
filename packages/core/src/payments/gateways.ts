import type { PaymentGatewayName } from '@handover/contracts';
import type { PaymentGateway } from './gateway';

/**
 * The gateways this process holds credentials for, by name, built at start-up from the env
 * (packages/integrations' createPaymentGateways). The wallet is not among them: it is ours.
 */
export type PaymentGateways = Partial<Record<PaymentGatewayName, PaymentGateway>>;
