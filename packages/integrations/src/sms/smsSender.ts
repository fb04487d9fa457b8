import type { SmsStatusReading } from '@handover/core';

/**
 * The outbox's `sms` channel speaks to one SMS provider through this: send a text, take the
 * provider's delivery callback, and read the text's status back. A provider is one folder beside
 * this file.
 *
 * Delivery callbacks are proved, not trusted: Handover gives each text a callback URL carrying
 * its own reference and a token only Handover can make (callbackToken.ts), so a call to that URL
 * names a text Handover sent; what the call says of the text is then read back from the provider
 * itself, so a replayed or invented report cannot set a status. Providers that sign nothing
 * (Arkesel) are safe this way.
 */
export interface SmsSender {
  /** Names the provider in logs and on the outbox row (`arkesel`). */
  readonly provider: string;
  /**
   * Sends `text` to `to`, an E.164 number (`+233271234567`); `reference` is Handover's own id for
   * the message (the outbox row), put in the text's callback URL. Resolves with the provider's
   * message id. An invalid number is a PermanentError `invalid_phone` before anything is sent; an
   * unreachable or busy provider a TransientError, for the outbox to retry.
   */
  send(to: string, text: string, reference: string): Promise<string>;
  /**
   * The reference of the text a delivery callback is about, from the callback URL's query, once
   * its token is checked (timing-safe). Throws DeliveryReportRejected otherwise.
   */
  verifyDeliveryCallback(query: Record<string, unknown>): string;
  /** The text's status as the provider reports it now (the authority on it). */
  deliveryStatus(messageId: string): Promise<SmsStatusReading>;
}

export type ReportRejection = 'not_configured' | 'missing_token' | 'bad_token';

/** A delivery callback that was refused: no token, a forged one, or no secret to check it with. */
export class DeliveryReportRejected extends Error {
  override readonly name = 'DeliveryReportRejected';
  constructor(
    readonly reason: ReportRejection,
    message: string,
  ) {
    super(message);
  }
}
