import { PermanentError } from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../http/jsonClient';
import { type OperatorSystemConfig, operatorSystemConfigSchema } from './env';

/** Field values as the REST API takes them: API names to strings, numbers, booleans or null. */
export type OrderFields = Record<string, string | number | boolean | null>;

export interface OrderRecord extends Record<string, unknown> {
  Id: string;
  Status: string;
}

export interface CatalogProduct extends Record<string, unknown> {
  Id: string;
  Name: string;
  Family: string;
}

export interface PersonalizedCatalog {
  accountId: string;
  eligibility: Record<string, string[]>;
  products: CatalogProduct[];
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  instance_url: z.string().optional(),
  /** Generic OAuth 2.0 servers send one; Salesforce does not. */
  expires_in: z.number().int().positive().optional(),
});
const orderResponse = z.looseObject({ Id: z.string(), Status: z.string() });
const createResponse = z.object({ id: z.string(), success: z.literal(true) });
const upsertResponse = z.object({ id: z.string(), success: z.literal(true), created: z.boolean().optional() });
const accountResponse = z.looseObject({ Id: z.string() });
const catalogResponse = z.object({
  accountId: z.string(),
  eligibility: z.record(z.string(), z.array(z.string())),
  products: z.array(z.looseObject({ Id: z.string(), Name: z.string(), Family: z.string() })),
});

/** Refresh this long before the counted expiry, so a token does not lapse mid-request. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The operator system's REST API, Salesforce-shaped (seed 004): OAuth 2.0 client-credentials
 * token, cached until it expires and fetched again once when a call answers 401
 * (INVALID_SESSION_ID); Order rows read, created and updated (the write-back after provisioning,
 * which the outbox retries until it lands); and the personalised catalog.
 */
export class OperatorSystemClient {
  private readonly http: JsonClient;
  private readonly config: z.output<typeof operatorSystemConfigSchema>;
  private readonly now: () => number;
  private token: { value: string; expiresAt: number } | undefined;
  private pendingToken: Promise<string> | undefined;

  constructor(config: OperatorSystemConfig, options: { fetch?: typeof fetch; now?: () => number } = {}) {
    const parsed = operatorSystemConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`Operator system client: ${z.prettifyError(parsed.error)}`);
    this.config = parsed.data;
    this.now = options.now ?? Date.now;
    this.http = new JsonClient({
      provider: 'operator-system',
      baseUrl: this.config.baseUrl,
      timeoutMs: this.config.timeoutMs,
      fetch: options.fetch,
    });
  }

  /** GET sobjects/Order/{id}. An unknown id is `not_found`. */
  async getOrder(orderId: string): Promise<OrderRecord> {
    return this.authorized({ method: 'GET', path: this.orderPath(orderId), response: orderResponse });
  }

  /** POST sobjects/Order: seed 004 checkout makes the order that ops review. */
  async createOrder(fields: OrderFields): Promise<{ id: string }> {
    const { id } = await this.authorized({
      method: 'POST',
      path: this.orderPath(),
      body: fields,
      response: createResponse,
    });
    return { id };
  }

  /**
   * PATCH sobjects/Order/Handover_Order_Id__c/{handoverOrderId}: Salesforce's upsert by an External
   * ID field. The Order of a Handover order is made once (201) and found again (200) on a retry
   * after a lost answer, so one checkout never makes two.
   */
  async upsertOrderByHandoverId(
    handoverOrderId: string,
    fields: OrderFields,
  ): Promise<{ id: string; created: boolean }> {
    const answer = await this.authorized({
      method: 'PATCH',
      path: `${this.orderPath()}/Handover_Order_Id__c/${encodeURIComponent(handoverOrderId)}`,
      body: fields,
      response: upsertResponse.nullable(),
    });
    // An API version before 46.0 answers an update with 204 and no body: read the row back.
    if (answer) return { id: answer.id, created: answer.created ?? false };
    const found = await this.authorized({
      method: 'GET',
      path: `${this.orderPath()}/Handover_Order_Id__c/${encodeURIComponent(handoverOrderId)}`,
      response: orderResponse,
    });
    return { id: found.Id, created: false };
  }

  /** The Account whose Customer_Number__c (an External ID field) is `customerNumber`; null when none. */
  async findAccountByCustomerNumber(customerNumber: string): Promise<{ id: string } | null> {
    try {
      const account = await this.authorized({
        method: 'GET',
        path: `services/data/${this.config.apiVersion}/sobjects/Account/Customer_Number__c/${encodeURIComponent(customerNumber)}`,
        response: accountResponse,
      });
      return { id: account.Id };
    } catch (error) {
      if (error instanceof PermanentError && error.code === 'not_found') return null;
      throw error;
    }
  }

  /**
   * PATCH sobjects/Order/{id} (204): the write-back of billing ids and status after provisioning.
   * Refused fields are `rejected` (the message names Salesforce's errorCode), an unknown order is
   * `not_found`; outages are transient, for the caller to retry until it lands.
   */
  async updateOrder(orderId: string, fields: OrderFields): Promise<void> {
    await this.authorized({ method: 'PATCH', path: this.orderPath(orderId), body: fields, response: z.null() });
  }

  /** The products an account may order, filtered by its eligibility fields (seed 004 catalog). */
  async personalizedCatalog(accountId: string): Promise<PersonalizedCatalog> {
    return this.authorized({
      method: 'GET',
      path: 'services/apexrest/catalog/personalized',
      query: { accountId },
      response: catalogResponse,
    });
  }

  private orderPath(orderId?: string): string {
    const base = `services/data/${this.config.apiVersion}/sobjects/Order`;
    return orderId === undefined ? base : `${base}/${encodeURIComponent(orderId)}`;
  }

  private async authorized<S extends z.ZodType>(request: {
    method: 'GET' | 'POST' | 'PATCH';
    path: string;
    query?: Record<string, string>;
    body?: unknown;
    response: S;
  }): Promise<z.output<S>> {
    const send = async () =>
      this.http.request({ ...request, headers: { authorization: `Bearer ${await this.accessToken()}` } });
    try {
      return await send();
    } catch (error) {
      if (isStatus(error, 401)) {
        // The session timed out before our count did: one fresh token, one more try.
        this.token = undefined;
        return await send().catch((retryError) => Promise.reject(notFoundOr(retryError)));
      }
      throw notFoundOr(error);
    }
  }

  private accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return Promise.resolve(this.token.value);
    // Concurrent calls share one token request.
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async fetchToken(): Promise<string> {
    const issuedAt = this.now();
    try {
      const answer = await this.http.request({
        method: 'POST',
        path: this.config.tokenUrl ?? 'services/oauth2/token',
        form: true,
        body: {
          grant_type: 'client_credentials',
          client_id: this.config.clientId,
          client_secret: this.config.clientSecret,
        },
        response: tokenResponse,
      });
      const lifetimeMs = (answer.expires_in ?? this.config.tokenTtlSeconds) * 1000;
      this.token = {
        value: answer.access_token,
        expiresAt: issuedAt + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2),
      };
      return answer.access_token;
    } catch (error) {
      // invalid_client and friends come back as 400: the credentials, not the request, are wrong.
      if (error instanceof PermanentError && (isStatus(error, 400) || isStatus(error, 401))) {
        throw new PermanentError(`operator-system refused the client credentials: ${error.message}`, 'unauthorized', {
          httpStatus: error.options.httpStatus,
          cause: error,
        });
      }
      throw error;
    }
  }
}

function isStatus(error: unknown, status: number): error is PermanentError {
  return error instanceof PermanentError && error.options.httpStatus === status;
}

function notFoundOr(error: unknown): unknown {
  return isStatus(error, 404)
    ? new PermanentError(error.message, 'not_found', { httpStatus: 404, cause: error })
    : error;
}
