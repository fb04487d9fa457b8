import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { EsimPackage } from './catalog';

export const ESIM_STATUSES = [
  'GOT_RESOURCE',
  'IN_USE',
  'USED_UP',
  'USED_EXPIRED',
  'UNUSED_EXPIRED',
  'CANCEL',
  'SUSPENDED',
  'REVOKED',
] as const;
export const SMDP_STATUSES = ['RELEASED', 'DOWNLOAD', 'INSTALLATION', 'ENABLED', 'DISABLED', 'DELETED'] as const;
export type EsimStatus = (typeof ESIM_STATUSES)[number];
export type SmdpStatus = (typeof SMDP_STATUSES)[number];

export interface EsimProfile {
  esimTranNo: string;
  orderNo: string;
  transactionId: string;
  iccid: string;
  imsi: string;
  /** The LPA activation code: `LPA:1$<SM-DP+ address>$<matching id>`. */
  ac: string;
  smdpAddress: string;
  matchingId: string;
  smdpStatus: SmdpStatus;
  esimStatus: EsimStatus;
  pin: string;
  puk: string;
  apn: string;
  totalVolume: number;
  totalDuration: number;
  durationUnit: 'DAY';
  orderUsage: number;
  expiredTime: string;
  packageList: { packageCode: string; packageName: string; volume: number; duration: number; locationCode: string }[];
  /** Queries still answered "profile not yet allocated" (errorCode 200010) before it shows. */
  pendingQueries: number;
}

export interface EsimOrder {
  orderNo: string;
  transactionId: string;
  fingerprint: string;
  esimTranNos: string[];
}

export interface TopUp {
  transactionId: string;
  fingerprint: string;
  esimTranNo: string;
  packageCode: string;
}

const SMDP_ADDRESS = 'smdp.esimaccess.sandbox';
/** Profiles of unused plans expire this long after allocation (plausible; the docs give no figure). */
const UNUSED_VALIDITY_DAYS = 180;

/** eSIM Access's orders, profiles and top-ups, in memory. */
export class ProfileBook {
  readonly orders = new Map<string, EsimOrder>();
  readonly profiles = new Map<string, EsimProfile>();
  readonly topUps = new Map<string, TopUp>();
  /** Account balance in 1/10,000 USD ($1,000 to start). */
  balance = 10_000_000;
  /** Applied to the profiles of orders placed from now on (control API). */
  pendingQueries = 0;
  private sequence = 0;

  fingerprint(request: unknown): string {
    return createHash('sha256').update(JSON.stringify(request)).digest('hex');
  }

  placeOrder(transactionId: string, fingerprint: string, items: { pkg: EsimPackage; count: number }[], now: Date) {
    const stamp = now.toISOString().replace(/\D/g, '').slice(2, 14);
    this.sequence += 1;
    const orderNo = `B${stamp}${String(this.sequence).padStart(4, '0')}`;
    const order: EsimOrder = { orderNo, transactionId, fingerprint, esimTranNos: [] };
    for (const { pkg, count } of items) {
      for (let i = 0; i < count; i += 1) order.esimTranNos.push(this.allocate(order, pkg, now).esimTranNo);
    }
    this.orders.set(orderNo, order);
    return order;
  }

  orderByTransaction(transactionId: string): EsimOrder | undefined {
    return [...this.orders.values()].find((o) => o.transactionId === transactionId);
  }

  find(ref: { iccid?: string; esimTranNo?: string }): EsimProfile | undefined {
    if (ref.esimTranNo) return this.profiles.get(ref.esimTranNo);
    return [...this.profiles.values()].find((p) => p.iccid === ref.iccid);
  }

  byActivationCode(ac: string): EsimProfile | undefined {
    return [...this.profiles.values()].find((p) => p.ac === ac);
  }

  reset(): void {
    this.orders.clear();
    this.profiles.clear();
    this.topUps.clear();
    this.balance = 10_000_000;
    this.pendingQueries = 0;
    this.sequence = 0;
  }

  private allocate(order: EsimOrder, pkg: EsimPackage, now: Date): EsimProfile {
    this.sequence += 1;
    const esimTranNo = `${now.toISOString().replace(/\D/g, '').slice(2, 12)}${String(this.sequence).padStart(4, '0')}`;
    const matchingId = randomBytes(16).toString('hex').toUpperCase();
    const profile: EsimProfile = {
      esimTranNo,
      orderNo: order.orderNo,
      transactionId: order.transactionId,
      iccid: `8985224528${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}${this.sequence % 10}`,
      imsi: `45400${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`,
      ac: `LPA:1$${SMDP_ADDRESS}$${matchingId}`,
      smdpAddress: SMDP_ADDRESS,
      matchingId,
      smdpStatus: 'RELEASED',
      esimStatus: 'GOT_RESOURCE',
      pin: String(randomInt(1000, 10_000)),
      puk: String(randomInt(10_000_000, 100_000_000)),
      apn: 'sandbox',
      totalVolume: pkg.volume,
      totalDuration: pkg.duration,
      durationUnit: 'DAY',
      orderUsage: 0,
      expiredTime: offsetTime(new Date(now.getTime() + UNUSED_VALIDITY_DAYS * 86_400_000)),
      packageList: [
        {
          packageCode: pkg.packageCode,
          packageName: pkg.name,
          volume: pkg.volume,
          duration: pkg.duration,
          locationCode: pkg.location,
        },
      ],
      pendingQueries: this.pendingQueries,
    };
    this.profiles.set(esimTranNo, profile);
    return profile;
  }
}

/** eSIM Access writes times as `2026-09-28T09:47:00+0000`. */
export function offsetTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+0000`;
}
