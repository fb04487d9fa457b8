import type { SmsDeliveryStatus } from '@handover/contracts';
import { PermanentError, type SmsStatusReading, TransientError } from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../../http/jsonClient';
import { callbackToken, verifyCallbackToken } from '../callbackToken';
import { e164 } from '../phoneNumber';
import { SendRate } from '../sendRate';
import { DeliveryReportRejected, type SmsSender } from '../smsSender';
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

const statusResponse = z.object({
  status: z.literal('success'),
  data: z.object({ id: z.string(), status: arkeselStatus }),
});

/**
 * Arkesel's SMS API v2 behind the SmsSender interface: one text per call, to an E.164 number,
 * spaced out by SendRate, with the text's delivery report asked for at the configured callback
 * URL (carrying the text's reference and its token, since Arkesel signs nothing). Errors come
 * out classified by JsonClient, and an empty SMS balance (402) as a transient
 * `insufficient_balance`: the text goes out once the balance is topped up.
 */
export class ArkeselClient implements SmsSender {
  readonly provider = PROVIDER;
  private readonly http: JsonClient;
  private readonly rate: SendRate;
  private readonly config: z.output<typeof arkeselConfigSchema>;

  constructor(config: ArkeselConfig, options: { fetch?: typeof fetch } = {}) {
    const parsed = arkeselConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`Arkesel client: ${z.prettifyError(parsed.error)}`);
    this.config = parsed.data;
    this.rate = new SendRate(parsed.data.sendsPerSecond);
    const { apiKey } = parsed.data;
    this.http = new JsonClient({
      provider: PROVIDER,
      baseUrl: parsed.data.baseUrl,
      timeoutMs: parsed.data.timeoutMs,
      headers: () => ({ 'api-key': apiKey }),
      // The text stays on the outbox row; the provider log needs neither it nor the callback's token.
      redactKeys: ['message', 'callback_url'],
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
   * may text twice; the reference and its token ride on the callback URL.
   */
  async send(to: string, text: string, reference: string): Promise<string> {
    const recipient = e164(to).slice(1);
    await this.rate.take();
    const { callbackUrl, callbackSecret } = this.config;
    const answer = await this.http.request({
      method: 'POST',
      path: 'api/v2/sms/send',
      body: {
        sender: this.config.senderId,
        message: text,
        recipients: [recipient],
        ...(callbackUrl && callbackSecret
          ? { callback_url: withReference(callbackUrl, reference, callbackToken(callbackSecret, reference)) }
          : {}),
        ...(this.config.sandbox ? { sandbox: true } : {}),
      },
      response: sendResponse,
    });
    for (const entry of answer.data) if ('id' in entry) return entry.id;
    throw new PermanentError(`${PROVIDER} refused ${to} as an invalid number`, 'invalid_phone');
  }

  verifyDeliveryCallback(query: Record<string, unknown>): string {
    const secret = this.config.callbackSecret;
    if (!secret) {
      throw new DeliveryReportRejected('not_configured', 'no callback secret is set to check delivery callbacks with');
    }
    return verifyCallbackToken(secret, query);
  }

  /** GET /api/v2/sms/{id}: where the text stands, in Arkesel's word and Handover's. */
  async deliveryStatus(messageId: string): Promise<SmsStatusReading> {
    const answer = await this.http.request({
      method: 'GET',
      path: `api/v2/sms/${encodeURIComponent(messageId)}`,
      response: statusResponse,
    });
    const providerStatus = answer.data.status;
    return { ...STATUSES[providerStatus], providerStatus };
  }
}

function withReference(callbackUrl: string, reference: string, token: string): string {
  const url = new URL(callbackUrl);
  url.searchParams.set('reference', reference);
  url.searchParams.set('token', token);
  return url.toString();
}

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : 'no message';
}
