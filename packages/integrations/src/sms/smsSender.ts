/**
 * The outbox's `sms` channel speaks to one SMS provider through this: send a text, and read the
 * delivery reports the provider calls back with. A provider is one folder beside this file.
 */
export interface SmsSender {
  /** Names the provider in logs and on the outbox row (`arkesel`). */
  readonly provider: string;
  /**
   * Sends `text` to `to`, an E.164 number (`+233271234567`); `reference` is Handover's own id for
   * the message (the outbox row). Resolves with the provider's message id, which delivery reports
   * quote. An invalid number is a PermanentError `invalid_phone` before anything is sent; an
   * unreachable or busy provider a TransientError, for the outbox to retry.
   */
  send(to: string, text: string, reference: string): Promise<string>;
  /**
   * Verifies one delivery report exactly as it was received (the raw body, before any JSON
   * parsing, and the request headers) and reads it. Throws DeliveryReportRejected for anything
   * that is not a genuine, fresh report.
   */
  parseDeliveryReport(rawBody: string | Buffer, headers: RequestHeaders): SmsDeliveryReport;
}

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** Where a text stands, across providers. */
export type SmsDeliveryStatus = 'queued' | 'submitted' | 'delivered' | 'undelivered' | 'expired' | 'rejected';

export interface SmsDeliveryReport {
  /** The provider's message id, as `send` returned it. */
  messageId: string;
  status: SmsDeliveryStatus;
  /** No later report changes a final status. */
  final: boolean;
  /** The provider's own word for the status (`NOT_DELIVERED`), for logs. */
  providerStatus: string;
  /**
   * `<messageId>:<status>`: the same for a repeat of this report (providers deliver reports at
   * least once), so the receiver can tell a duplicate and change nothing.
   */
  dedupeKey: string;
}

export type ReportRejection = 'not_configured' | 'missing_signature' | 'bad_signature' | 'stale' | 'malformed';

/** A delivery report that was refused: forged, replayed late, unreadable, or with no secret to check it. */
export class DeliveryReportRejected extends Error {
  override readonly name = 'DeliveryReportRejected';
  constructor(
    readonly reason: ReportRejection,
    message: string,
  ) {
    super(message);
  }
}

/** One header's value, whatever its case in `headers`. */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === wanted);
  const value = entry?.[1];
  return Array.isArray(value) ? value[0] : value;
}
