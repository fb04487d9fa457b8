import type { EntityManager } from '@mikro-orm/postgresql';
import { raiseAlert } from '../alerts/alerts';
import { formatMoney } from '../money';
import { floatAlertKey } from './dataOrders';

/**
 * Seed 002 error 3: the network's reseller float cannot pay for a bundle. One open
 * `reseller_float_low` alert per network however many bundles wait: bundles held at the same
 * moment take turns on a lock of the alert's key, so the second sees the first's alert.
 */
export async function alertResellerFloatLow(
  em: EntityManager,
  hold: {
    network: string;
    size: string;
    orderCode: string;
    /** What the float holds and what the bundle costs, in pesewas, when the reseller said. */
    balanceMinor: number | undefined;
    requiredMinor: number | undefined;
  },
): Promise<void> {
  const money = (minor: number | undefined) => (minor === undefined ? 'unknown' : formatMoney(minor, 'GHS'));
  const key = floatAlertKey(hold.network);
  await em.transactional(async (tem) => {
    await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [key]);
    await raiseAlert(tem, {
      type: 'reseller_float_low',
      severity: 'critical',
      message: `The ${hold.network} reseller float is too low (${money(hold.balanceMinor)} left, ${money(hold.requiredMinor)} needed for ${hold.size}, order ${hold.orderCode}). Bundles wait: top the float up, then press "Float topped up" on the Data orders page.`,
      subjectType: 'data_network',
      subjectId: hold.network,
      data: { network: hold.network, balanceMinor: hold.balanceMinor, requiredMinor: hold.requiredMinor },
      dedupeKey: key,
    });
  });
}
