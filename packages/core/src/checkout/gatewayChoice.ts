import type { PaymentGatewayName } from '@handover/contracts';
import { GATEWAY_LABELS } from '@handover/contracts';
import { ValidationError } from '../errors';

export interface GatewayOptions {
  name: string;
  enabledPaymentGateways: readonly PaymentGatewayName[];
  defaultPaymentGateway: PaymentGatewayName;
}

const fail = (message: string): never => {
  throw new ValidationError(message, { gateway: [message] });
};

/**
 * Seed 003's PaymentGatewayRouter: the gateway an order is paid through. It must be enabled for
 * every product in the cart and usable right now (`usable`: configured on this server, or the
 * wallet for a signed-in customer). The customer's choice wins; without one, the only usable
 * gateway, or the products' shared default.
 */
export function chooseGateway(
  products: readonly GatewayOptions[],
  requested: PaymentGatewayName | undefined,
  usable: (gateway: PaymentGatewayName) => boolean,
): PaymentGatewayName {
  const [first, ...rest] = products;
  if (!first) return fail('Add at least one item.');
  const common = first.enabledPaymentGateways.filter((g) => rest.every((p) => p.enabledPaymentGateways.includes(g)));

  if (requested) {
    const without = products.find((p) => !p.enabledPaymentGateways.includes(requested));
    if (without) return fail(`${without.name} cannot be paid with ${GATEWAY_LABELS[requested]}.`);
    if (!usable(requested)) {
      return fail(
        requested === 'wallet'
          ? 'Sign in to pay from your wallet.'
          : `${GATEWAY_LABELS[requested]} is not available right now; choose another way to pay.`,
      );
    }
    return requested;
  }

  const candidates = common.filter(usable);
  if (common.length === 0) return fail('These products share no way to pay; order them separately.');
  const [only, ...others] = candidates;
  if (!only) return fail('None of the ways to pay for this order is available right now.');
  if (others.length === 0) return only;
  const shared = first.defaultPaymentGateway;
  if (candidates.includes(shared) && rest.every((p) => p.defaultPaymentGateway === shared)) return shared;
  return fail(`Choose how to pay: ${candidates.map((g) => GATEWAY_LABELS[g]).join(', ')}.`);
}
