import { PermanentError, TransientError } from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../../http/jsonClient';
import { e164 } from '../phoneNumber';
import { REPORT_SIGNATURE_HEADER, verifyReportSignature } from '../reportSignature';
import { SendRate } from '../sendRate';
import {
  DeliveryReportRejected,
  headerValue,
  type RequestHeaders,
  type SmsDeliveryReport,
  type SmsDeliveryStatus,
  type SmsSender,
} from '../smsSender';
import { type ArkeselConfig, arkeselConfigSchema } from './env';

const PROVIDER = 'arkesel';

const sendResponse = z.object({
  status: z.literal('success'),
  data: z.array(
    z.union([
      z.object({ recipient: z.string(), id: z.string().min(1) }),
      z.object({ 'invalid numbers': z.array(z.string()) }),
    ]),
  ),
});

const arkeselStatus = z.enum(['QUEUED', 'SUBMITTED', 'DELIVERED', 'NOT_DELIVERED', 'EXPIRED', 'PROHIBITED'], {
  error: 'is not an Arkesel delivery status',
});

/** Arkesel's delivery statuses, as Handover reads them. */
const STATUSES: Record<z.output<typeof arkeselStatus>, { status: SmsDeliveryStatus; final: boolean }> = {
  QUEUED: { status: 'queued', final: false },
  SUBMITTED: { status: 'submitted', final: false },
  DELIVERED: { status: 'delivered', final: true },
  NOT_DELIVERED: { status: 'undelivered', final: true },
  EXPIRED: { status: 'expired', final: true },
  PROHIBITED: { status: 'rejected', final: true },
};

const reportBody = z.object({
  sms_id: z.string().min(1),
  status: arkeselStatus,
});

/**
 * Arkesel's SMS API v2 behind the SmsSender interface: one text per call, to an E.164 number,
 * spaced out by SendRate, with the text's delivery report asked for at the configured callback
 * URL. Errors come out classified by JsonClient, and an empty SMS balance (402) as a transient
 * `insufficient_balance`: the text goes out once the balance is topped up.
 */
export class ArkeselClient implements SmsSender {
  readonly provider = PROVIDER;
  private readonly http: JsonClient;
  private readonly rate: SendRate;
  private readonly config: z.output<typeof arkeselConfigSchema>;
  private readonly now: () => Date;

  constructor(config: ArkeselConfig, options: { fetch?: typeof fetch; now?: () => Date } = {}) {
    const parsed = arkeselConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`Arkesel client: ${z.prettifyError(parsed.error)}`);
    this.config = parsed.data;
    this.now = options.now ?? (() => new Date());
    this.rate = new SendRate(parsed.data.sendsPerSecond);
    const { apiKey } = parsed.data;
    this.http = new JsonClient({
      provider: PROVIDER,
      baseUrl: parsed.data.baseUrl,
      timeoutMs: parsed.data.timeoutMs,
      headers: () => ({ 'api-key': apiKey }),
      // The text stays on the outbox row; the provider log does not need a second copy.
      redactKeys: ['message'],
      classifyAnswer: ({ status, body }) =>
        status === 402
          ? new TransientError(
              `${PROVIDER} answered 402: the SMS balance is empty (${messageOf(body)})`,
              'insufficient_balance',
              { httpStatus: 402 },
            )
          : undefined,
      fetch: options.fetch,
    });
  }

  /**
   * POST /api/v2/sms/send. Arkesel takes no idempotency key, so a send retried after a timeout
   * may text twice; `reference` rides on the callback URL so each report can be traced back.
   */
  async send(to: string, text: string, reference: string): Promise<string> {
    const recipient = e164(to).slice(1);
    await this.rate.take();
    const answer = await this.http.request({
      method: 'POST',
      path: 'api/v2/sms/send',
      body: {
        sender: this.config.senderId,
        message: text,
        recipients: [recipient],
        ...(this.config.callbackUrl ? { callback_url: withReference(this.config.callbackUrl, reference) } : {}),
        ...(this.config.sandbox ? { sandbox: true } : {}),
      },
      response: sendResponse,
    });
    for (const entry of answer.data) if ('id' in entry) return entry.id;
    throw new PermanentError(`${PROVIDER} refused ${to} as an invalid number`, 'invalid_phone');
  }

  /** Verifies the report's signature (timing-safe, fresh) before reading `sms_id` and `status`. */
  parseDeliveryReport(rawBody: string | Buffer, headers: RequestHeaders): SmsDeliveryReport {
    const { callbackSecret, signatureToleranceSeconds } = this.config;
    if (!callbackSecret) {
      throw new DeliveryReportRejected('not_configured', 'no callback secret is set to verify delivery reports with');
    }
    const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
    verifyReportSignature(
      callbackSecret,
      body,
      headerValue(headers, REPORT_SIGNATURE_HEADER),
      this.now(),
      signatureToleranceSeconds,
    );
    const parsed = reportBody.safeParse(parseJson(body));
    if (!parsed.success) {
      throw new DeliveryReportRejected(
        'malformed',
        `the delivery report is not readable: ${z.prettifyError(parsed.error)}`,
      );
    }
    const { sms_id: messageId, status: providerStatus } = parsed.data;
    const { status, final } = STATUSES[providerStatus];
    return { messageId, status, final, providerStatus, dedupeKey: `${messageId}:${status}` };
  }
}

function withReference(callbackUrl: string, reference: string): string {
  const url = new URL(callbackUrl);
  url.searchParams.set('reference', reference);
  return url.toString();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : 'no message';
}
