import { createHash } from 'node:crypto';
import { z } from 'zod';
import { randomId } from '../shared/ids';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  reference: string;
  orderId: string;
  /** Local ten-digit form. */
  phoneNumber: string;
  sizeGb: number;
  pricePesewas: number;
  status: DeliveryStatus;
  failureReason: string | null;
  idempotencyKey: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** Verify calls still to be answered `pending` before the bundle lands. */
  pendingVerifiesLeft: number;
  /** The bundle lands no earlier than this (ms since the epoch). */
  deliverAfter: number;
}

export interface DeliveryRequest {
  phoneNumber: string;
  sizeGb: number;
  orderId: string;
}

export type PlaceResult =
  | { kind: 'created' | 'replayed'; delivery: Delivery }
  | { kind: 'key_reused' }
  | { kind: 'duplicate_order'; reference: string }
  | { kind: 'insufficient_balance'; balancePesewas: number; pricePesewas: number };

/** How a test or a person makes the next matching delivery requests go wrong. */
export const failureRuleSchema = z
  .object({
    /** Only requests for this number (any form the API accepts); every number when left out. */
    phoneNumber: z.string().optional(),
    /** Only requests for this size; every size when left out. */
    sizeGb: z.number().int().positive().optional(),
    /**
     * `timeout` answers nothing and delivers nothing; `lost_answer` delivers, then never answers
     * (a crash between the reseller's answer and the caller's commit looks like this to the caller).
     */
    failure: z.enum(['invalid_phone', 'invalid_size', 'insufficient_balance', 'unavailable', 'timeout', 'lost_answer']),
    /** Only the next N matching requests, then the rule is dropped. */
    remaining: z.number().int().min(1).optional(),
  })
  .strict();
export type FailureRule = z.output<typeof failureRuleSchema>;
export type FailureKind = FailureRule['failure'];

/** When a new delivery reports `delivered`: after so many verifies and so much time (both 0: at once). */
export const deliverySettingsSchema = z
  .object({
    pendingVerifies: z.number().int().min(0).max(100),
    pendingMs: z.number().int().min(0).max(3_600_000),
  })
  .partial()
  .strict();
export type DeliverySettings = Required<z.output<typeof deliverySettingsSchema>>;

const DEFAULT_SETTINGS: DeliverySettings = { pendingVerifies: 0, pendingMs: 0 };

/** The reseller's side: its float, the bundles it delivered, and the idempotency keys behind them. */
export class DeliveryBook {
  private readonly deliveries = new Map<string, Delivery>();
  private readonly byKey = new Map<string, { fingerprint: string; reference: string }>();
  private rules: FailureRule[] = [];
  private settings: DeliverySettings = { ...DEFAULT_SETTINGS };
  private balance: number;

  constructor(private readonly initialBalancePesewas: number) {
    this.balance = initialBalancePesewas;
  }

  /**
   * Delivers a bundle and takes its price from the float. A key seen before returns the delivery
   * it made (the same request) or is refused (a different one); only deliveries are remembered
   * under a key, so a request refused for want of float goes through once the float is topped up.
   */
  place(request: DeliveryRequest, pricePesewas: number, key: string | undefined, now: Date): PlaceResult {
    const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const earlier = key ? this.byKey.get(key) : undefined;
    if (earlier) {
      const delivery = this.deliveries.get(earlier.reference);
      if (earlier.fingerprint !== fingerprint || !delivery) return { kind: 'key_reused' };
      return { kind: 'replayed', delivery };
    }
    const sameOrder = [...this.deliveries.values()].find((d) => d.orderId === request.orderId && d.status !== 'failed');
    if (sameOrder) return { kind: 'duplicate_order', reference: sameOrder.reference };
    if (this.balance < pricePesewas) {
      return { kind: 'insufficient_balance', balancePesewas: this.balance, pricePesewas };
    }

    this.balance -= pricePesewas;
    const immediate = this.settings.pendingVerifies === 0 && this.settings.pendingMs === 0;
    const delivery: Delivery = {
      ...request,
      reference: `ATI${randomId(10, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`,
      pricePesewas,
      status: immediate ? 'delivered' : 'pending',
      failureReason: null,
      idempotencyKey: key ?? null,
      createdAt: now.toISOString(),
      deliveredAt: immediate ? now.toISOString() : null,
      pendingVerifiesLeft: this.settings.pendingVerifies,
      deliverAfter: now.getTime() + this.settings.pendingMs,
    };
    this.deliveries.set(delivery.reference, delivery);
    if (key) this.byKey.set(key, { fingerprint, reference: delivery.reference });
    return { kind: 'created', delivery };
  }

  /** A verify call: a pending bundle lands once its verifies are used up and its time has come. */
  verify(reference: string, now: Date): Delivery | undefined {
    const delivery = this.deliveries.get(reference);
    if (delivery?.status !== 'pending') return delivery;
    if (delivery.pendingVerifiesLeft > 0) {
      delivery.pendingVerifiesLeft -= 1;
      return delivery;
    }
    if (now.getTime() >= delivery.deliverAfter) this.markDelivered(delivery, now);
    return delivery;
  }

  /** Lands a pending bundle now (control API). */
  deliver(reference: string, now: Date): Delivery | undefined {
    const delivery = this.deliveries.get(reference);
    if (delivery?.status === 'pending') this.markDelivered(delivery, now);
    return delivery;
  }

  /** Fails a pending bundle and gives its price back to the float (control API). */
  fail(reference: string, reason: string): Delivery | undefined {
    const delivery = this.deliveries.get(reference);
    if (delivery?.status !== 'pending') return delivery;
    delivery.status = 'failed';
    delivery.failureReason = reason;
    this.balance += delivery.pricePesewas;
    return delivery;
  }

  /** The failure the first matching rule asks for, counting that rule down. */
  takeFailure(phoneNumber: string | null, sizeGb: number): FailureKind | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.phoneNumber === undefined || r.phoneNumber === phoneNumber) &&
        (r.sizeGb === undefined || r.sizeGb === sizeGb),
    );
    if (!rule) return undefined;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return rule.failure;
  }

  addFailure(rule: FailureRule): void {
    this.rules.push({ ...rule });
  }

  failures(): FailureRule[] {
    return structuredClone(this.rules);
  }

  clearFailures(): void {
    this.rules = [];
  }

  get balancePesewas(): number {
    return this.balance;
  }

  setBalance(pesewas: number): void {
    this.balance = pesewas;
  }

  getSettings(): DeliverySettings {
    return { ...this.settings };
  }

  updateSettings(settings: Partial<DeliverySettings>): DeliverySettings {
    this.settings = { ...this.settings, ...settings };
    return this.getSettings();
  }

  /** The deliveries made for one of the merchant's order ids, newest first. */
  forOrder(orderId: string): Delivery[] {
    return [...this.deliveries.values()].filter((d) => d.orderId === orderId).reverse();
  }

  get(reference: string): Delivery | undefined {
    return this.deliveries.get(reference);
  }

  list(): Delivery[] {
    return structuredClone([...this.deliveries.values()]);
  }

  reset(): void {
    this.deliveries.clear();
    this.byKey.clear();
    this.rules = [];
    this.settings = { ...DEFAULT_SETTINGS };
    this.balance = this.initialBalancePesewas;
  }

  private markDelivered(delivery: Delivery, now: Date): void {
    delivery.status = 'delivered';
    delivery.deliveredAt = now.toISOString();
  }
}
