import { isDomainName, normalizeHostname } from '@handover/contracts';
import { PermanentError } from '@handover/core';
import { z } from 'zod';
import { classifyHttpError, JsonClient } from '../../http/jsonClient';
import { type InstanceProvisioningConfig, instanceProvisioningConfigSchema } from './env';

export const INSTANCE_STATUSES = ['provisioning', 'ready', 'suspended', 'failed'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** Seed 003 §5.4 `singletenant_provisioning`: template, resource profile (plan), region, domain strategy. */
export interface CreateInstanceRequest {
  template: string;
  plan: string;
  region: string;
  domain: { strategy: 'subdomain'; subdomain: string } | { strategy: 'custom_domain'; hostname: string };
  label?: string;
  /** The first admin's login; the provider's default (`admin`) without it. */
  adminEmail?: string;
  metadata?: Record<string, string>;
}

export interface ProvisionedInstance {
  id: string;
  status: InstanceStatus;
  template: string;
  plan: string;
  region: string;
  /** For a custom domain, `cnameTarget` is where the customer points it. */
  domain: { strategy: 'subdomain' | 'custom_domain'; hostname: string; cnameTarget: string | null };
  /** Set once the instance is ready, with its first admin. */
  url: string | null;
  admin: { username: string; password: string } | null;
  error: { code: string; message: string } | null;
  readyAt: string | null;
}

const hostname = z.string().refine(isDomainName, 'is not a host name').transform(normalizeHostname);
const instance = z
  .object({
    id: z.string().min(1),
    status: z.enum(INSTANCE_STATUSES),
    template: z.string(),
    plan: z.string(),
    region: z.string(),
    domain: z.object({
      strategy: z.enum(['subdomain', 'custom_domain']),
      hostname,
      cname_target: hostname.nullable(),
    }),
    url: z.url({ protocol: /^https?$/ }).nullable(),
    admin: z.object({ username: z.string().min(1), password: z.string().min(1) }).nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    ready_at: z.string().nullable(),
  })
  .refine(
    (answer) => answer.status !== 'ready' || (answer.url !== null && answer.admin !== null),
    'a ready instance must come with its URL and admin',
  )
  .transform(
    (answer): ProvisionedInstance => ({
      id: answer.id,
      status: answer.status,
      template: answer.template,
      plan: answer.plan,
      region: answer.region,
      domain: {
        strategy: answer.domain.strategy,
        hostname: answer.domain.hostname,
        cnameTarget: answer.domain.cname_target,
      },
      url: answer.url,
      admin: answer.admin,
      error: answer.error,
      readyAt: answer.ready_at,
    }),
  );

/**
 * The instance-provisioning API behind single-tenant products (seed 003 §3.1
 * `saas_singletenant`). Errors come out classified by JsonClient, refusals with the API's
 * problem `code` (`domain_taken`, `unknown_region`, `invalid_state` ...); the first admin's
 * password is hidden in every logged call.
 */
export class InstanceProvisioningClient {
  private readonly http: JsonClient;

  constructor(config: InstanceProvisioningConfig, options: { fetch?: typeof fetch } = {}) {
    const parsed = instanceProvisioningConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`Instance-provisioning client: ${z.prettifyError(parsed.error)}`);
    const { baseUrl, apiKey, timeoutMs } = parsed.data;
    this.http = new JsonClient({
      provider: 'instance-provisioning',
      baseUrl,
      timeoutMs,
      headers: () => ({ authorization: `Bearer ${apiKey}` }),
      idempotencyHeader: 'Idempotency-Key',
      // Also caught by the usual secret pattern; named so that a change there cannot leak it.
      redactKeys: ['password'],
      classifyAnswer: (answer) =>
        answer.status >= 400 ? classifyHttpError('instance-provisioning', answer, problemCode(answer.body)) : undefined,
      fetch: options.fetch,
    });
  }

  /**
   * POST /v1/instances: answers at once with the instance `provisioning`; poll getInstance
   * until it is `ready` (or `failed`). The same key (one per record and step) makes a retry
   * answer the instance the first attempt created.
   */
  createInstance(request: CreateInstanceRequest, idempotencyKey: string): Promise<ProvisionedInstance> {
    return this.http.request({
      method: 'POST',
      path: 'v1/instances',
      body: {
        template: request.template,
        plan: request.plan,
        region: request.region,
        domain: request.domain,
        ...(request.label ? { label: request.label } : {}),
        ...(request.adminEmail ? { admin_email: request.adminEmail } : {}),
        ...(request.metadata ? { metadata: request.metadata } : {}),
      },
      idempotencyKey,
      response: instance,
    });
  }

  getInstance(id: string): Promise<ProvisionedInstance> {
    return this.http.request({ method: 'GET', path: `v1/instances/${encodeURIComponent(id)}`, response: instance });
  }

  /** A ready instance stops serving; suspending twice is no error. */
  suspendInstance(id: string): Promise<ProvisionedInstance> {
    return this.http.request({
      method: 'POST',
      path: `v1/instances/${encodeURIComponent(id)}/suspend`,
      response: instance,
    });
  }

  resumeInstance(id: string): Promise<ProvisionedInstance> {
    return this.http.request({
      method: 'POST',
      path: `v1/instances/${encodeURIComponent(id)}/resume`,
      response: instance,
    });
  }

  /** DELETE /v1/instances/{id}; an instance already gone counts as deleted. */
  async deleteInstance(id: string): Promise<void> {
    try {
      await this.http.request({
        method: 'DELETE',
        path: `v1/instances/${encodeURIComponent(id)}`,
        response: z.null(),
      });
    } catch (error) {
      if (error instanceof PermanentError && error.options.httpStatus === 404) return;
      throw error;
    }
  }
}

/** RFC 9457 problem details, with the machine-readable `code` member. */
function problemCode(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code) ? code : undefined;
}
