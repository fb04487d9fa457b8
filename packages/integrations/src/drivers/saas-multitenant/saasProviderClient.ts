import { TENANT_STATUSES, type TenantStatus } from '@handover/contracts';
import { z } from 'zod';
import { classifyHttpError, JsonClient } from '../../http/jsonClient';
import { type SaasProviderConfig, saasProviderConfigSchema } from './providerConfig';
import { RequestSigner } from './requestSigner';

/** What Handover tells a provider about the order item it must onboard (docs/saas-providers.md). */
export interface OnboardRequest {
  orderId: string;
  orderItemId: string;
  productId: string;
  /** Seed 003 §5.1: the product's id at the provider. */
  externalProductRef?: string | null;
  plan?: string | null;
  customer: { email: string; name: string };
  /** The customer's checkout selections the provider needs (a POS: business name, locations). */
  options?: Record<string, unknown>;
  trialDays?: number | null;
}

/** Names a tenant for suspend, resume and cancel: the provider checks it belongs to that order item. */
export interface TenantRequest {
  externalReference: string;
  orderId: string;
  orderItemId: string;
  reason?: string | null;
  /**
   * Which suspension of the tenant this is (1 for the first): a tenant suspended, resumed and
   * suspended again sends a new Idempotency-Key (`…:suspend:2`), so the second is not answered
   * from the first's record. Retries of one call keep it.
   */
  cycle?: number;
}

export interface UpgradeRequest extends TenantRequest {
  plan: string;
  options?: Record<string, unknown>;
}

/** The provider's answer: seed 003 §5.2 and §5.3's external references and the workspace URL. */
export interface ProviderTenant {
  externalReference: string;
  externalTenantId: string;
  externalCustomerId: string;
  externalSubscriptionId: string | null;
  externalUserId: string | null;
  /** Shown to the customer as "Open your workspace". */
  externalWorkspaceUrl: string;
  status: TenantStatus;
  plan: string | null;
}

const reference = z.string().min(1).max(200);
const tenantState = z
  .object({
    external_reference: reference,
    external_tenant_id: reference,
    external_customer_id: reference,
    external_subscription_id: reference.nullish(),
    external_user_id: reference.nullish(),
    external_workspace_url: z.url({ protocol: /^https?$/ }),
    status: z.enum(TENANT_STATUSES),
    plan: z.string().nullish(),
  })
  .transform(
    (state): ProviderTenant => ({
      externalReference: state.external_reference,
      externalTenantId: state.external_tenant_id,
      externalCustomerId: state.external_customer_id,
      externalSubscriptionId: state.external_subscription_id ?? null,
      externalUserId: state.external_user_id ?? null,
      externalWorkspaceUrl: state.external_workspace_url,
      status: state.status,
      plan: state.plan ?? null,
    }),
  );

/** Seed 003 §8: one idempotency key per order item, `order_id` + `order_item_id`. */
export function onboardIdempotencyKey(orderId: string, orderItemId: string): string {
  return `${orderId}:${orderItemId}`;
}

/**
 * A SaaS product's side of the provider contract (seed 003 §8; docs/saas-providers.md). Each
 * call is signed with the secret passed to it (the product's, from the key ring) and carries an
 * Idempotency-Key derived from the order item. Errors come out classified: a refused signature
 * (401/403) is PermanentError `signature_refused`; other refusals (404, 409, 422) are permanent
 * with the provider's own code; 429, 5xx and timeouts are transient.
 */
export class SaasProviderClient {
  private readonly http: JsonClient;
  private readonly endpoints: z.output<typeof saasProviderConfigSchema>['endpoints'];
  private readonly signer: RequestSigner;

  constructor(
    config: SaasProviderConfig,
    options: { fetch?: typeof fetch; now?: () => Date; signer?: RequestSigner } = {},
  ) {
    const parsed = saasProviderConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`SaaS provider client: ${z.prettifyError(parsed.error)}`);
    this.endpoints = parsed.data.endpoints;
    // One signer per process when shared: it never dates two calls with the same content alike.
    this.signer = options.signer ?? new RequestSigner(options.now ?? (() => new Date()));
    this.http = new JsonClient({
      provider: parsed.data.provider,
      baseUrl: parsed.data.baseUrl,
      timeoutMs: parsed.data.timeoutMs,
      idempotencyHeader: 'Idempotency-Key',
      classifyAnswer: (answer) =>
        answer.status >= 400
          ? classifyHttpError(
              parsed.data.provider,
              answer,
              answer.status === 401 || answer.status === 403 ? 'signature_refused' : providerCode(answer.body),
            )
          : undefined,
      fetch: options.fetch,
    });
  }

  /** POST onboard: the order item's tenant; a retry answers the same tenant. */
  onboard(request: OnboardRequest, secret: string): Promise<ProviderTenant> {
    const body = {
      operation: 'onboard',
      order_id: request.orderId,
      order_item_id: request.orderItemId,
      product_id: request.productId,
      external_product_ref: request.externalProductRef ?? null,
      plan: request.plan ?? null,
      customer: { email: request.customer.email, name: request.customer.name },
      options: request.options ?? {},
      trial_days: request.trialDays ?? null,
    };
    return this.post(this.endpoints.onboard, body, secret, onboardIdempotencyKey(request.orderId, request.orderItemId));
  }

  /** POST suspend: suspending a suspended tenant is no error; a cancelled one is `tenant_cancelled`. */
  suspend(request: TenantRequest, secret: string): Promise<ProviderTenant> {
    return this.post(this.endpoints.suspend, tenantBody('suspend', request), secret, lifecycleKey(request, 'suspend'));
  }

  /**
   * POST resume: a suspended tenant is active again (its subscription was paid). Resuming an
   * active tenant is no error; a cancelled one is `tenant_cancelled`.
   */
  resume(request: TenantRequest, secret: string): Promise<ProviderTenant> {
    return this.post(this.endpoints.resume, tenantBody('resume', request), secret, lifecycleKey(request, 'resume'));
  }

  /** POST cancel: final, and may be repeated. */
  cancel(request: TenantRequest, secret: string): Promise<ProviderTenant> {
    return this.post(this.endpoints.cancel, tenantBody('cancel', request), secret, lifecycleKey(request, 'cancel'));
  }

  /** POST upgrade: moves the tenant to `plan`. */
  upgrade(request: UpgradeRequest, secret: string): Promise<ProviderTenant> {
    const body = {
      ...tenantBody('upgrade', request),
      plan: request.plan,
      ...(request.options ? { options: request.options } : {}),
    };
    return this.post(this.endpoints.upgrade, body, secret, lifecycleKey(request, `upgrade:${request.plan}`));
  }

  /** GET status/{external_reference}: the tenant as the provider has it now. */
  status(externalReference: string, secret: string): Promise<ProviderTenant> {
    const path = this.endpoints.status.replace('{external_reference}', encodeURIComponent(externalReference));
    const url = new URL(this.http.url(path));
    return this.http.request({
      method: 'GET',
      path,
      // A GET has no body: its path, as sent, is what is signed.
      headers: this.signer.headers(secret, `${url.pathname}${url.search}`),
      response: tenantState,
    });
  }

  private post(path: string, body: object, secret: string, idempotencyKey: string): Promise<ProviderTenant> {
    return this.http.request({
      method: 'POST',
      path,
      body,
      // JsonClient sends JSON.stringify(body): the very string signed here.
      headers: this.signer.headers(secret, JSON.stringify(body)),
      idempotencyKey,
      response: tenantState,
    });
  }
}

/** The body names its operation, so that it cannot be replayed at another endpoint. */
function tenantBody(operation: 'suspend' | 'resume' | 'cancel' | 'upgrade', request: TenantRequest) {
  return {
    operation,
    external_reference: request.externalReference,
    order_id: request.orderId,
    order_item_id: request.orderItemId,
    reason: request.reason ?? null,
  };
}

function lifecycleKey(request: TenantRequest, operation: string): string {
  const cycle = request.cycle && request.cycle > 1 ? `:${request.cycle}` : '';
  return `${onboardIdempotencyKey(request.orderId, request.orderItemId)}:${operation}${cycle}`;
}

/** The contract's error body is `{"error": "<code>", "message": "..."}`. */
function providerCode(body: unknown): string | undefined {
  const code = (body as { error?: unknown } | null)?.error;
  return typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code) ? code : undefined;
}
