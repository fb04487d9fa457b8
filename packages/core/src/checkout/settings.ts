import type { EntityManager } from '@mikro-orm/postgresql';
import type { BillingSystem } from '../billing/billingSystem';
import type { Clock } from '../clock';
import type { DriverRegistry } from '../fulfillment/registry';
import type { PaymentGateways } from '../payments/gateways';
import type { PaymentLogger } from '../payments/paymentLog';

export interface CheckoutSettings {
  /** The customer portal: the gateway sends the customer back there after paying or giving up. */
  portalUrl: string;
  /** How long an unpaid checkout stays open when the gateway does not say. */
  pendingOrderTtlMs: number;
}

export interface CheckoutDeps {
  em: EntityManager;
  registry: DriverRegistry;
  gateways: PaymentGateways;
  clock: Clock;
  settings: CheckoutSettings;
  logger?: PaymentLogger;
  /** Seed 004: the billing system whose payment methods gate checkout for billed products. */
  billing?: BillingSystem | null;
}

/** What the portal does next: send the customer to `redirectUrl`, then follow `pendingOrderId`. */
export interface CheckoutStarted {
  pendingOrderId: string;
  redirectUrl: string;
  gateway: string;
  expiresAt: Date;
  /** Set when the order exists already (a wallet purchase). */
  orderCode: string | null;
  /**
   * Seed 004, one service per order: the other orders the cart became, each paid on its own
   * (`checkout.continue`), or already placed from the wallet (with their order codes).
   */
  next?: CheckoutNext[];
}

export interface CheckoutNext {
  pendingOrderId: string;
  productName: string;
  amountMinor: number;
  currency: string;
  orderCode: string | null;
}

const portal = (settings: CheckoutSettings, path: string) => `${settings.portalUrl.replace(/\/$/, '')}${path}`;

/** The portal's confirmation page, which follows the payment until the order exists. */
export const checkoutReturnUrl = (settings: CheckoutSettings, pendingOrderId: string) =>
  portal(settings, `/checkout/complete?pending=${pendingOrderId}`);

export const checkoutCancelUrl = (settings: CheckoutSettings, pendingOrderId: string) =>
  portal(settings, `/checkout/cancelled?pending=${pendingOrderId}`);

export const orderPageUrl = (settings: CheckoutSettings, orderCode: string) => portal(settings, `/orders/${orderCode}`);
