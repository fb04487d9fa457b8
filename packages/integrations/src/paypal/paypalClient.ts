import { type Clock, PermanentError, systemClock } from '@handover/core';
import { z } from 'zod';
import { JsonClient, type JsonRequest } from '../http/jsonClient';

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

/**
 * PayPal's REST API with OAuth2 client credentials: the access token is fetched once, kept until
 * shortly before it expires, and fetched again once when PayPal answers 401 (revoked early).
 */
export class PayPalClient {
  private readonly api: JsonClient;
  private readonly auth: JsonClient;
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly options: {
      apiUrl: string;
      clientId: string;
      clientSecret: string;
      timeoutMs: number;
      clock?: Clock;
    },
  ) {
    this.api = new JsonClient({
      provider: 'paypal',
      baseUrl: options.apiUrl,
      timeoutMs: options.timeoutMs,
      idempotencyHeader: 'PayPal-Request-Id',
      headers: async () => ({ authorization: `Bearer ${await this.accessToken()}` }),
    });
    this.auth = new JsonClient({
      provider: 'paypal',
      baseUrl: options.apiUrl,
      timeoutMs: options.timeoutMs,
      redactKeys: ['access_token'],
      headers: () => ({
        authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`,
      }),
    });
  }

  async request<S extends z.ZodType>(req: JsonRequest<S>): Promise<z.output<S>> {
    try {
      return await this.api.request(req);
    } catch (error) {
      if (!(error instanceof PermanentError) || error.options.httpStatus !== 401) throw error;
      this.token = null;
      return this.api.request(req);
    }
  }

  /** Fetches an access token: the client id and secret work (seed 003 §7.3 "Test Payment Gateway Connection"). */
  async checkCredentials(): Promise<void> {
    this.token = null;
    await this.accessToken();
  }

  private now(): number {
    return (this.options.clock ?? systemClock).now().getTime();
  }

  private accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return Promise.resolve(this.token.value);
    // One token request at a time, however many calls wait for it.
    this.pending ??= this.auth
      .request({
        method: 'POST',
        path: '/v1/oauth2/token',
        body: { grant_type: 'client_credentials' },
        form: true,
        response: tokenResponse,
      })
      .then((answer) => {
        // A minute's margin, so a token does not expire between here and PayPal.
        const lifetime = Math.max(0, answer.expires_in - 60) * 1000;
        this.token = { value: answer.access_token, expiresAt: this.now() + lifetime };
        return answer.access_token;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
