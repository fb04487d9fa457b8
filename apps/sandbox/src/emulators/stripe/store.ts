import { randomId } from '../shared/ids';
import type { SessionCreateParams } from './params';

// Objects shaped as Stripe's API reference shows them, with the fields Checkout, Billing and
// refunds fill in. Amounts are integers in the currency's smallest unit, times are unix seconds.
type StripeObject = Record<string, unknown> & { id: string; object: string };
export type Session = StripeObject & {
  status: 'open' | 'complete' | 'expired';
  mode: 'payment' | 'subscription';
  metadata: Record<string, string>;
  amount_total: number;
  currency: string;
  success_url: string;
  cancel_url: string | null;
  customer_email: string | null;
};

interface SessionExtras {
  lineItems: SessionCreateParams['line_items'];
  paymentIntentMetadata: Record<string, string>;
  subscriptionMetadata: Record<string, string>;
  trialDays: number | undefined;
  /** The failure shown on the hosted page after a declined attempt. */
  declined?: string;
}

/** Something that happened, for the emulator to send as an event. */
export interface Happening {
  type: string;
  object: StripeObject;
  previousAttributes?: Record<string, unknown>;
}

export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const DAY = 86_400;

export class StripeStore {
  readonly sessions = new Map<string, Session>();
  private readonly extras = new Map<string, SessionExtras>();
  private readonly paymentIntents = new Map<string, StripeObject>();
  private readonly charges = new Map<string, StripeObject & { amount: number; amount_refunded: number }>();
  private readonly subscriptions = new Map<string, StripeObject & { status: string }>();
  private readonly invoices = new Map<string, StripeObject>();
  private readonly invoicePayments: StripeObject[] = [];
  private readonly customers = new Map<string, StripeObject>();

  constructor(
    private readonly checkoutPageUrl: (sessionId: string) => string,
    private readonly now: () => Date,
  ) {}

  reset(): void {
    for (const map of [
      this.sessions,
      this.extras,
      this.paymentIntents,
      this.charges,
      this.subscriptions,
      this.invoices,
      this.customers,
    ]) {
      map.clear();
    }
    this.invoicePayments.length = 0;
  }

  private seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  createSession(params: SessionCreateParams): Session {
    const currencies = new Set(params.line_items.map((li) => li.price_data.currency.toLowerCase()));
    if (currencies.size > 1) {
      throw new StripeError(
        400,
        'invalid_request_error',
        'All line items must use the same currency.',
        undefined,
        'line_items',
      );
    }
    const recurring = params.line_items.some((li) => li.price_data.recurring);
    if (params.mode === 'subscription' && !recurring) {
      throw new StripeError(
        400,
        'invalid_request_error',
        'You must provide at least one recurring price in `subscription` mode when using prices.',
        undefined,
        'line_items',
      );
    }
    if (params.mode === 'payment' && recurring) {
      throw new StripeError(
        400,
        'invalid_request_error',
        'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
        undefined,
        'line_items',
      );
    }
    const created = this.seconds();
    const id = `cs_test_${randomId(58)}`;
    const subtotal = params.line_items.reduce((sum, li) => sum + li.quantity * li.price_data.unit_amount, 0);
    const trialDays = params.subscription_data?.trial_period_days;
    const session: Session = {
      id,
      object: 'checkout.session',
      amount_subtotal: subtotal,
      amount_total: trialDays ? 0 : subtotal,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created,
      currency: [...currencies][0] ?? 'usd',
      customer: null,
      customer_email: params.customer_email ?? null,
      expires_at: params.expires_at ?? created + DAY,
      invoice: null,
      livemode: false,
      metadata: params.metadata,
      mode: params.mode,
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      subscription: null,
      success_url: params.success_url,
      url: this.checkoutPageUrl(id),
    };
    this.sessions.set(id, session);
    this.extras.set(id, {
      lineItems: params.line_items,
      paymentIntentMetadata: params.payment_intent_data?.metadata ?? {},
      subscriptionMetadata: params.subscription_data?.metadata ?? {},
      trialDays,
    });
    return session;
  }

  session(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw missing('checkout.session', id, 'session');
    return session;
  }

  lineItems(id: string): SessionExtras['lineItems'] {
    return this.extras.get(id)?.lineItems ?? [];
  }

  declined(id: string): string | undefined {
    return this.extras.get(id)?.declined;
  }

  /** The customer paid on the hosted page. */
  pay(id: string): Happening[] {
    const session = this.openSession(id);
    const extras = this.extras.get(id) as SessionExtras;
    const customer = this.customerFor(session.customer_email);
    const happenings: Happening[] = [];
    if (session.mode === 'payment') {
      const intent = this.succeededPayment(
        session.amount_total,
        session.currency,
        customer.id,
        extras.paymentIntentMetadata,
      );
      Object.assign(session, { payment_intent: intent.id, payment_status: 'paid' });
    } else {
      const subscription = this.startSubscription(session, extras, customer.id);
      const invoice = this.paidInvoice(subscription, 'subscription_create', session.amount_total, session.currency);
      Object.assign(session, {
        subscription: subscription.id,
        invoice: invoice.id,
        payment_status: session.amount_total > 0 ? 'paid' : 'no_payment_required',
      });
      happenings.push({ type: 'invoice.paid', object: invoice });
    }
    Object.assign(session, { status: 'complete', customer: customer.id });
    delete extras.declined;
    happenings.unshift({ type: 'checkout.session.completed', object: session });
    return happenings;
  }

  /** A declined card: Checkout keeps the session open for another try and reports the failed intent. */
  decline(id: string): Happening[] {
    const session = this.openSession(id);
    const extras = this.extras.get(id) as SessionExtras;
    extras.declined = 'Your card was declined.';
    if (session.mode !== 'payment') return [];
    const intent: StripeObject = {
      id: `pi_${randomId(24)}`,
      object: 'payment_intent',
      amount: session.amount_total,
      amount_received: 0,
      currency: session.currency,
      created: this.seconds(),
      customer: null,
      last_payment_error: {
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: extras.declined,
        type: 'card_error',
      },
      latest_charge: null,
      livemode: false,
      metadata: extras.paymentIntentMetadata,
      status: 'requires_payment_method',
    };
    this.paymentIntents.set(intent.id, intent);
    return [{ type: 'payment_intent.payment_failed', object: intent }];
  }

  expire(id: string): Happening[] {
    const session = this.openSession(id);
    Object.assign(session, { status: 'expired', url: null });
    return [{ type: 'checkout.session.expired', object: session }];
  }

  refund(params: {
    payment_intent?: string;
    charge?: string;
    amount?: number;
    reason?: string;
    metadata: Record<string, string>;
  }): {
    refund: StripeObject;
    happenings: Happening[];
  } {
    const chargeId = params.charge ?? this.intent(params.payment_intent as string).latest_charge;
    const charge = typeof chargeId === 'string' ? this.charges.get(chargeId) : undefined;
    if (!charge) {
      throw new StripeError(
        400,
        'invalid_request_error',
        'This PaymentIntent does not have a successful charge to refund.',
        'charge_not_refundable',
      );
    }
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining === 0) {
      throw new StripeError(
        400,
        'invalid_request_error',
        `Charge ${charge.id} has already been refunded.`,
        'charge_already_refunded',
      );
    }
    const amount = params.amount ?? remaining;
    if (amount > remaining) {
      throw new StripeError(
        400,
        'invalid_request_error',
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        'amount_too_large',
        'amount',
      );
    }
    const refund: StripeObject = {
      id: `re_${randomId(24)}`,
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: charge.id,
      created: this.seconds(),
      currency: charge.currency,
      metadata: params.metadata,
      payment_intent: charge.payment_intent,
      reason: params.reason ?? null,
      status: 'succeeded',
    };
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return {
      refund,
      happenings: [
        { type: 'charge.refunded', object: charge, previousAttributes: previous },
        { type: 'refund.created', object: refund },
      ],
    };
  }

  /** The next billing period was charged. */
  renew(subscriptionId: string): Happening[] {
    const subscription = this.activeSubscription(subscriptionId);
    const item = (
      subscription.items as { data: { price: { unit_amount: number; currency: string }; quantity: number }[] }
    ).data;
    const amount = item.reduce((sum, i) => sum + i.price.unit_amount * i.quantity, 0);
    const invoice = this.paidInvoice(subscription, 'subscription_cycle', amount, item[0]?.price.currency ?? 'usd');
    Object.assign(subscription, { status: 'active', latest_invoice: invoice.id });
    return [{ type: 'invoice.paid', object: invoice }];
  }

  cancelSubscription(subscriptionId: string): Happening[] {
    const subscription = this.activeSubscription(subscriptionId);
    const at = this.seconds();
    Object.assign(subscription, { status: 'canceled', canceled_at: at, ended_at: at });
    return [{ type: 'customer.subscription.deleted', object: subscription }];
  }

  listInvoicePayments(invoice: string | undefined, limit: number): StripeObject[] {
    return this.invoicePayments.filter((p) => !invoice || p.invoice === invoice).slice(0, limit);
  }

  private openSession(id: string): Session {
    const session = this.session(id);
    if (session.status !== 'open') {
      throw new StripeError(
        400,
        'invalid_request_error',
        `This Checkout Session is ${session.status}.`,
        'checkout_session_not_open',
      );
    }
    return session;
  }

  private intent(id: string): StripeObject {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw missing('payment_intent', id, 'payment_intent');
    return intent;
  }

  private activeSubscription(id: string): StripeObject & { status: string } {
    const subscription = this.subscriptions.get(id);
    if (!subscription) throw missing('subscription', id, 'subscription');
    if (subscription.status === 'canceled') {
      throw new StripeError(400, 'invalid_request_error', `This subscription is canceled: ${id}`, 'resource_missing');
    }
    return subscription;
  }

  private customerFor(email: string | null): StripeObject {
    const existing = [...this.customers.values()].find((c) => email && c.email === email);
    if (existing) return existing;
    const customer: StripeObject = {
      id: `cus_${randomId(14)}`,
      object: 'customer',
      email,
      created: this.seconds(),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  private succeededPayment(
    amount: number,
    currency: string,
    customer: string,
    metadata: Record<string, string>,
  ): StripeObject {
    const created = this.seconds();
    const intentId = `pi_${randomId(24)}`;
    const charge = {
      id: `ch_${randomId(24)}`,
      object: 'charge',
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      captured: true,
      created,
      currency,
      customer,
      livemode: false,
      metadata,
      paid: true,
      payment_intent: intentId,
      refunded: false,
      status: 'succeeded',
    };
    const intent: StripeObject = {
      id: intentId,
      object: 'payment_intent',
      amount,
      amount_received: amount,
      created,
      currency,
      customer,
      last_payment_error: null,
      latest_charge: charge.id,
      livemode: false,
      metadata,
      status: 'succeeded',
    };
    this.charges.set(charge.id, charge);
    this.paymentIntents.set(intent.id, intent);
    return intent;
  }

  private startSubscription(
    session: Session,
    extras: SessionExtras,
    customer: string,
  ): StripeObject & { status: string } {
    const created = this.seconds();
    const trialEnd = extras.trialDays ? created + extras.trialDays * DAY : null;
    const periodEnd = trialEnd ?? created + 30 * DAY;
    const subscription = {
      id: `sub_${randomId(24)}`,
      object: 'subscription',
      cancel_at_period_end: false,
      canceled_at: null,
      created,
      currency: session.currency,
      customer,
      ended_at: null,
      items: {
        object: 'list',
        data: extras.lineItems.map((li) => ({
          id: `si_${randomId(14)}`,
          object: 'subscription_item',
          current_period_end: periodEnd,
          current_period_start: created,
          price: {
            id: `price_${randomId(24)}`,
            object: 'price',
            currency: li.price_data.currency.toLowerCase(),
            product: `prod_${randomId(14)}`,
            recurring: { interval: li.price_data.recurring?.interval ?? 'month', interval_count: 1 },
            type: 'recurring',
            unit_amount: li.price_data.unit_amount,
          },
          quantity: li.quantity,
        })),
        has_more: false,
      },
      latest_invoice: null,
      livemode: false,
      metadata: extras.subscriptionMetadata,
      status: trialEnd ? 'trialing' : 'active',
      trial_end: trialEnd,
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  private paidInvoice(
    subscription: StripeObject,
    billingReason: string,
    amount: number,
    currency: string,
  ): StripeObject {
    const created = this.seconds();
    const invoice: StripeObject = {
      id: `in_${randomId(24)}`,
      object: 'invoice',
      amount_due: amount,
      amount_paid: amount,
      amount_remaining: 0,
      billing_reason: billingReason,
      created,
      currency,
      customer: subscription.customer,
      livemode: false,
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { metadata: subscription.metadata, subscription: subscription.id },
      },
      status: 'paid',
      status_transitions: { paid_at: created },
    };
    this.invoices.set(invoice.id, invoice);
    subscription.latest_invoice = invoice.id;
    if (amount > 0) {
      const intent = this.succeededPayment(amount, currency, subscription.customer as string, {});
      this.invoicePayments.push({
        id: `inpay_${randomId(24)}`,
        object: 'invoice_payment',
        amount_paid: amount,
        amount_requested: amount,
        created,
        currency,
        invoice: invoice.id,
        is_default: true,
        livemode: false,
        payment: { type: 'payment_intent', payment_intent: intent.id },
        status: 'paid',
        status_transitions: { canceled_at: null, paid_at: created },
      });
    }
    return invoice;
  }
}

function missing(object: string, id: string, param: string): StripeError {
  return new StripeError(404, 'invalid_request_error', `No such ${object}: '${id}'`, 'resource_missing', param);
}
