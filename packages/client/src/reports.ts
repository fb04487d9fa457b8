import { HandoverDownloadError } from './errors.ts';

export interface ReportRequest {
  /** The first and last day, `YYYY-MM-DD`, in `timeZone` (the business's by default). */
  from: string;
  to: string;
  format?: 'csv' | 'xlsx';
  timeZone?: string;
  productId?: string;
  driver?: string;
  gateway?: string;
  network?: string;
  status?: string;
  phone?: string;
}

export interface ReportDownload {
  /** The name the server gives the file, e.g. `revenue_2026-11-01_2026-11-30.csv`. */
  fileName: string;
  contentType: string;
  /** The report as it streams from the server: pipe it to a file (`Readable.fromWeb`) or read it. */
  body: ReadableStream<Uint8Array>;
}

const QUERY_NAMES: Record<string, string> = { timeZone: 'tz', productId: 'product' };

/** `GET /reports/<name>.<format>`: the report as a stream, or a HandoverDownloadError. */
export async function downloadReport(
  http: typeof fetch,
  baseUrl: string,
  headers: () => Record<string, string>,
  name: string,
  request: ReportRequest,
  signal?: AbortSignal,
): Promise<ReportDownload> {
  const { format = 'csv', ...filter } = request;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') query.set(QUERY_NAMES[key] ?? key, String(value));
  }
  const url = `${baseUrl}/reports/${encodeURIComponent(name)}.${format}?${query}`;
  const response = await http(url, { headers: headers(), ...(signal ? { signal } : {}) });
  if (!response.ok || !response.body) {
    const answer = (await response.json().catch(() => ({}))) as { message?: string; problems?: string[] };
    throw new HandoverDownloadError(
      answer.message ?? `The report could not be downloaded (${response.status})`,
      response.status,
      answer.problems ?? [],
    );
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  return {
    fileName: /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${name}.${format}`,
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    body: response.body,
  };
}
