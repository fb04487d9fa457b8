import { getFinanceReport, REPORT_DOWNLOADS, REPORT_NAMES, reportFilterSchema, withTimeZone } from '@handover/core';
import { financeProcedure, router } from '../trpc';

export const reportsRouter = router({
  /** Every report of the range, for finance's landing page (the downloads take the same filter). */
  overview: financeProcedure
    .input(reportFilterSchema)
    .query(({ ctx, input }) => getFinanceReport(ctx.em, withTimeZone(input, ctx.businessTimeZone ?? 'UTC'))),
  /** The reports that can be downloaded, and the business's time zone the filter defaults to. */
  downloads: financeProcedure.query(({ ctx }) => ({
    timeZone: ctx.businessTimeZone ?? 'UTC',
    reports: REPORT_NAMES.map((name) => ({ name, title: REPORT_DOWNLOADS[name].title })),
  })),
});
