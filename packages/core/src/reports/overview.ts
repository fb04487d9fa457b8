import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReportFilter } from './filter';
import { fulfillmentByDriver, providerErrors } from './fulfillment';
import { refundSummary } from './refunds';
import { revenueByDay, revenueByGateway, revenueByProduct, revenueTotals } from './revenue';
import { walletSummary } from './wallet';

/** Finance's landing page: every report of the range at once, from the same filter as the downloads. */
export async function getFinanceReport(em: EntityManager, filter: ReportFilter) {
  const [totals, byDay, byGateway, byProduct, refunds, fulfillment, errors, wallet] = await Promise.all([
    revenueTotals(em, filter),
    revenueByDay(em, filter),
    revenueByGateway(em, filter),
    revenueByProduct(em, filter),
    refundSummary(em, filter),
    fulfillmentByDriver(em, filter),
    providerErrors(em, filter),
    walletSummary(em, filter),
  ]);
  return {
    filter,
    revenue: { totals, byDay, byGateway, byProduct },
    refunds,
    fulfillment,
    providerErrors: errors,
    wallet,
  };
}

export type FinanceReport = Awaited<ReturnType<typeof getFinanceReport>>;
