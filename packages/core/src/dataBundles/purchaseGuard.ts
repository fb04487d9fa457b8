import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Seed 002's "short window": the same package for the same number again within it asks first. */
export const REPEAT_WINDOW_MS = 10 * 60_000;

export type PurchaseClaim =
  | {
      ok: true;
      /** The purchase made an order (a wallet purchase at once; through a gateway, none yet). */
      placed(orderCode: string | null): Promise<void>;
      /** The purchase did not happen (refused, or failed): the window is as it was before. */
      release(): Promise<void>;
    }
  | { ok: false; startedAt: Date; orderCode: string | null };

interface GuardRow {
  id: string;
  started_at: Date;
  order_code: string | null;
}

/**
 * Claims the right to buy `productId` for `phoneNumber` now. Refused when the same customer
 * started the same purchase within the window, unless they confirmed the repeat. The guard row
 * is locked while it is read and stamped, so of two purchases at the same moment the second sees
 * the first's stamp.
 */
export async function claimBundlePurchase(
  em: EntityManager,
  claim: { userId: string; productId: string; phoneNumber: string; now: Date; confirmRepeat: boolean },
  windowMs = REPEAT_WINDOW_MS,
): Promise<PurchaseClaim> {
  const { userId, productId, phoneNumber, now } = claim;
  const outcome = await em.fork().transactional(async (tem) => {
    await tem.execute(
      `insert into bundle_purchase_guards (id, user_id, product_id, phone_number, started_at)
       values (?, ?, ?, ?, to_timestamp(0))
       on conflict (user_id, product_id, phone_number) do nothing`,
      [randomUUID(), userId, productId, phoneNumber],
    );
    const [row] = await tem.execute<GuardRow[]>(
      `select id, started_at, order_code from bundle_purchase_guards
        where user_id = ? and product_id = ? and phone_number = ? for update`,
      [userId, productId, phoneNumber],
    );
    if (!row) throw new Error('the purchase guard row vanished');
    const previous = { startedAt: new Date(row.started_at), orderCode: row.order_code };
    if (!claim.confirmRepeat && previous.startedAt.getTime() > now.getTime() - windowMs) {
      return { ok: false as const, ...previous };
    }
    await tem.execute(
      'update bundle_purchase_guards set started_at = ?, order_code = null, updated_at = ? where id = ?',
      [now, now, row.id],
    );
    return { ok: true as const, id: row.id, previous };
  });
  if (!outcome.ok) return outcome;
  const mine = (sql: string, params: unknown[]) =>
    em.fork().execute(`${sql} where id = ? and started_at = ?`, [...params, outcome.id, now]);
  return {
    ok: true,
    placed: async (orderCode) => {
      await mine('update bundle_purchase_guards set order_code = ?', [orderCode]);
    },
    release: async () => {
      await mine('update bundle_purchase_guards set started_at = ?, order_code = ?', [
        outcome.previous.startedAt,
        outcome.previous.orderCode,
      ]);
    },
  };
}
