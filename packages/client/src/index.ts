export type { AppRouter, RouterInputs } from '@handover/api';
export {
  createHandoverClient,
  type HandoverClient,
  type HandoverClientOptions,
  type HandoverHelpers,
} from './client.ts';
export { errorCode, type HandoverApiError, HandoverDownloadError, isHandoverApiError } from './errors.ts';
export { everyItem, type KeysetPage } from './pages.ts';
export type { ReportDownload, ReportRequest } from './reports.ts';
export { resilientFetch, retryAfterMs, type TransportOptions } from './transport.ts';
