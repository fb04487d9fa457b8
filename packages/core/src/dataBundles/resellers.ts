import type { DataNetworkId } from '@handover/contracts/drivers/data-bundle';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TransientError } from '../errors';
import { countHeldForFloat } from './dataOrders';

/** A bundle reseller's account as the back office sees it: its float, when its API gives it. */
export interface BundleResellerAccount {
  network: DataNetworkId;
  /** Who sells the network's bundles to us (`AT-iShare reseller`). */
  name: string;
  balance(): Promise<{ amountMinor: number; currency: string }>;
}

export interface ResellerFloat {
  network: DataNetworkId;
  name: string;
  balance: { amountMinor: number; currency: string } | null;
  /** Why the balance could not be read. */
  error: string | null;
  /** Bundles waiting for this float to be topped up. */
  held: number;
}

/** Each reseller's float, read now, with the bundles that wait for it (seed 002 phase 6). */
export async function readResellerFloats(
  em: EntityManager,
  resellers: readonly BundleResellerAccount[],
): Promise<ResellerFloat[]> {
  const held = await countHeldForFloat(em);
  return Promise.all(
    resellers.map(async (reseller) => {
      const base = { network: reseller.network, name: reseller.name, held: held[reseller.network] ?? 0 };
      try {
        return { ...base, balance: await reseller.balance(), error: null };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ...base, balance: null, error: error instanceof TransientError ? `Unreachable: ${message}` : message };
      }
    }),
  );
}
