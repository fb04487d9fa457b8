import { z } from 'zod';
import { JsonClient } from '../../http/jsonClient';

const resource = z.object({
  id: z.string(),
  label: z.string(),
  status: z.enum(['pending', 'ready', 'active', 'suspended', 'deleted']),
});
export type TestkitResource = z.output<typeof resource>;

export const testkitClientConfig = z.object({
  baseUrl: z.url(),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** Client of the testkit provisioning API (docs/testkit.md). */
export class TestkitClient {
  private readonly http: JsonClient;

  constructor(config: z.input<typeof testkitClientConfig>, fetchImpl?: typeof fetch) {
    const { baseUrl, timeoutMs } = testkitClientConfig.parse(config);
    this.http = new JsonClient({
      provider: 'testkit',
      baseUrl,
      timeoutMs,
      idempotencyHeader: 'Idempotency-Key',
      fetch: fetchImpl,
    });
  }

  create(
    body: { label: string; reject?: boolean; readyAfterPolls?: number },
    idempotencyKey: string,
  ): Promise<TestkitResource> {
    return this.http.request({ method: 'POST', path: '/v1/resources', body, idempotencyKey, response: resource });
  }

  get(id: string): Promise<TestkitResource> {
    return this.http.request({ method: 'GET', path: `/v1/resources/${encodeURIComponent(id)}`, response: resource });
  }

  activate(id: string, idempotencyKey: string): Promise<TestkitResource> {
    return this.http.request({
      method: 'POST',
      path: `/v1/resources/${encodeURIComponent(id)}/activate`,
      idempotencyKey,
      response: resource,
    });
  }

  suspend(id: string, idempotencyKey: string): Promise<TestkitResource> {
    return this.http.request({
      method: 'POST',
      path: `/v1/resources/${encodeURIComponent(id)}/suspend`,
      idempotencyKey,
      response: resource,
    });
  }

  delete(id: string): Promise<TestkitResource> {
    return this.http.request({ method: 'DELETE', path: `/v1/resources/${encodeURIComponent(id)}`, response: resource });
  }
}
