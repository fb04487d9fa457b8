import { isDomainName, normalizeHostname } from '@handover/contracts';
import { PermanentError } from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../../http/jsonClient';
import { type PlugsaasConfig, plugsaasConfigSchema } from './env';

/** Seed 000 step 3.3: what PlugSaaS needs to set up Microsoft 365 mail for a domain. */
export interface PlugsaasOrderRequest {
  domain: string;
  forwardingUrl: string;
  /** The people on the domain (the seed's order form takes 1 to 3). */
  names: string[];
  microsoftEmail: string;
  microsoftPassword: string;
}

const hostname = z.string().refine(isDomainName, 'is not a host name').transform(normalizeHostname);

const addOrderResponse = z.object({
  order_id: z.union([z.string().min(1), z.number().int()]).transform(String),
});
const nameserversResponse = z.object({ nameservers: z.array(hostname) });
const deleteOrderResponse = z.object({ deleted: z.boolean() });

/**
 * PlugSaaS's API (seed 000 steps 3.3 and 3.4). Errors come out classified by JsonClient; the
 * Microsoft password is hidden in every logged call.
 */
export class PlugsaasClient {
  private readonly http: JsonClient;
  private readonly baseUrl: string;

  constructor(config: PlugsaasConfig, options: { fetch?: typeof fetch } = {}) {
    const parsed = plugsaasConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`PlugSaaS client: ${z.prettifyError(parsed.error)}`);
    const { baseUrl, apiKey, timeoutMs } = parsed.data;
    this.baseUrl = baseUrl;
    this.http = new JsonClient({
      provider: 'plugsaas',
      baseUrl,
      timeoutMs,
      headers: () => ({ 'x-api-key': apiKey }),
      idempotencyHeader: 'Idempotency-Key',
      // Also caught by the usual secret pattern; named so that a change there cannot leak it.
      redactKeys: ['microsoft_password'],
      fetch: options.fetch,
    });
  }

  /**
   * POST /api/addOrder. The same `idempotencyKey` (one per record and step) makes a retry
   * return the order the first attempt created instead of a second one.
   */
  async addOrder(order: PlugsaasOrderRequest, idempotencyKey: string): Promise<{ orderId: string }> {
    const { order_id } = await this.http.request({
      method: 'POST',
      path: 'api/addOrder',
      body: {
        domain: order.domain,
        forwarding_url: order.forwardingUrl,
        names: order.names,
        microsoft_email: order.microsoftEmail,
        microsoft_password: order.microsoftPassword,
      },
      idempotencyKey,
      response: addOrderResponse,
    });
    return { orderId: order_id };
  }

  /** GET /api/getNameservers: host names in lower case, without the trailing dot. */
  async getNameservers(orderId: string): Promise<string[]> {
    const { nameservers } = await this.http.request({
      method: 'GET',
      path: 'api/getNameservers',
      query: { orderId },
      response: nameserversResponse,
    });
    return nameservers;
  }

  /** GET /api/getNameservers, with null when PlugSaaS does not know the order (404). */
  async findNameservers(orderId: string): Promise<string[] | null> {
    try {
      return await this.getNameservers(orderId);
    } catch (error) {
      if (error instanceof PermanentError && error.options.httpStatus === 404) return null;
      throw error;
    }
  }

  /**
   * Whether PlugSaaS takes our API key, with a read that changes nothing: asking for an order
   * that cannot exist answers 404 to a key it accepts and 401/403 to one it refuses.
   */
  async checkCredentials(): Promise<{ ok: boolean; message: string }> {
    const where = `PlugSaaS at ${this.baseUrl}`;
    try {
      await this.findNameservers('handover-connection-test');
      return { ok: true, message: `${where} accepted the API key (PLUGSAAS_API_KEY).` };
    } catch (error) {
      const status = error instanceof PermanentError ? error.options.httpStatus : undefined;
      if (status === 401 || status === 403) {
        return { ok: false, message: `${where} refused the API key (PLUGSAAS_API_KEY): HTTP ${status}.` };
      }
      return { ok: false, message: `${where} could not be reached: ${(error as Error).message}` };
    }
  }

  /**
   * POST /api/deleteOrder: Handover's assumption (the seed shows no delete), used by a
   * rollback to remove an order it created. An order that is already gone counts as deleted.
   */
  async deleteOrder(orderId: string): Promise<void> {
    try {
      await this.http.request({
        method: 'POST',
        path: 'api/deleteOrder',
        body: { order_id: orderId },
        response: deleteOrderResponse,
      });
    } catch (error) {
      if (error instanceof PermanentError && error.options.httpStatus === 404) return;
      throw error;
    }
  }
}
