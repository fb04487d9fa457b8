import { createHash, randomBytes } from 'node:crypto';

export interface PlugsaasOrder {
  orderId: string;
  domain: string;
  forwardingUrl: string;
  names: string[];
  microsoftEmail: string;
  /** The emulator keeps no Microsoft password: it only needs to know one was given. */
  nameservers: string[];
  idempotencyKey: string | null;
  createdAt: string;
}

export interface NewOrder {
  domain: string;
  forwardingUrl: string;
  names: string[];
  microsoftEmail: string;
}

export type PlaceResult =
  | { kind: 'created'; orderId: string }
  | { kind: 'replayed'; orderId: string }
  | { kind: 'key_reused' };

/** Nameserver pairs handed out in turn, as a provider spreads domains over its DNS clusters. */
const NAMESERVER_PAIRS = 4;

/** PlugSaaS's orders, in memory, with the idempotency keys that created them. */
export class OrderBook {
  private readonly orders = new Map<string, PlugsaasOrder>();
  private readonly byKey = new Map<string, { fingerprint: string; orderId: string }>();
  private placed = 0;

  /**
   * Creates an order. A key seen before replays its first answer when the request is the
   * same (even if that order was deleted since), and is refused when the request differs.
   */
  place(order: NewOrder, request: unknown, idempotencyKey: string | undefined, now: Date): PlaceResult {
    const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const earlier = idempotencyKey ? this.byKey.get(idempotencyKey) : undefined;
    if (earlier) {
      return earlier.fingerprint === fingerprint
        ? { kind: 'replayed', orderId: earlier.orderId }
        : { kind: 'key_reused' };
    }
    const pair = this.placed % NAMESERVER_PAIRS;
    this.placed += 1;
    const created: PlugsaasOrder = {
      ...order,
      orderId: `plug-order-${randomBytes(6).toString('hex')}`,
      nameservers: [`ns${2 * pair + 1}.plugsaas.test`, `ns${2 * pair + 2}.plugsaas.test`],
      idempotencyKey: idempotencyKey ?? null,
      createdAt: now.toISOString(),
    };
    this.orders.set(created.orderId, created);
    if (idempotencyKey) this.byKey.set(idempotencyKey, { fingerprint, orderId: created.orderId });
    return { kind: 'created', orderId: created.orderId };
  }

  get(orderId: string): PlugsaasOrder | undefined {
    return this.orders.get(orderId);
  }

  delete(orderId: string): boolean {
    return this.orders.delete(orderId);
  }

  list(): PlugsaasOrder[] {
    return [...this.orders.values()];
  }

  reset(): void {
    this.orders.clear();
    this.byKey.clear();
    this.placed = 0;
  }
}
