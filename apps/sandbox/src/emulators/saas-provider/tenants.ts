import { createHash } from 'node:crypto';

export type TenantStatus = 'provisioning' | 'active' | 'suspended' | 'cancelled';

export interface Tenant {
  product: string;
  externalReference: string;
  externalTenantId: string;
  externalCustomerId: string;
  externalSubscriptionId: string | null;
  externalUserId: string | null;
  workspaceUrl: string;
  status: TenantStatus;
  plan: string;
  orderId: string;
  orderItemId: string;
  customer: { email: string; name: string };
  options: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface NewTenant {
  product: string;
  orderId: string;
  orderItemId: string;
  plan: string;
  customer: { email: string; name: string };
  options: Record<string, unknown>;
  status: 'active' | 'provisioning';
  linksAccounts: boolean;
  /** The tenant's workspace is this plus its tenant id. */
  workspaceBaseUrl: string;
}

export type Refusal = { status: number; error: string; message: string };
export type Outcome = { tenant: Tenant } | { refusal: Refusal };

/**
 * The provider's tenants, one per (product, order item). Ids and the workspace URL are derived
 * from the order reference, so the same order item always gets the same answer (seed 003 §8
 * "deterministic response", §12 "idempotent tenant creation by external order reference").
 */
export class TenantBook {
  private readonly byReference = new Map<string, Tenant>();
  private readonly byOrderItem = new Map<string, string>();

  /** The order item's tenant, created on first sight; `created` says which. */
  onboard(request: NewTenant, now: Date): { tenant: Tenant; created: boolean } {
    const itemKey = [request.product, request.orderId, request.orderItemId].join('\n');
    const existing = this.byOrderItem.get(itemKey);
    const found = existing ? this.byReference.get(existing) : undefined;
    if (found) return { tenant: found, created: false };

    const item = digest(request.product, request.orderId, request.orderItemId);
    const customer = digest(request.product, request.customer.email.toLowerCase());
    const tenantId = `tnt_${item.slice(20, 36)}`;
    const tenant: Tenant = {
      product: request.product,
      externalReference: `mkt_${item.slice(0, 20)}`,
      externalTenantId: tenantId,
      externalCustomerId: `cus_${customer.slice(0, 16)}`,
      externalSubscriptionId: request.linksAccounts ? `sub_${item.slice(36, 52)}` : null,
      externalUserId: request.linksAccounts ? `usr_${customer.slice(16, 32)}` : null,
      workspaceUrl: `${request.workspaceBaseUrl}/${tenantId}`,
      status: request.status,
      plan: request.plan,
      orderId: request.orderId,
      orderItemId: request.orderItemId,
      customer: request.customer,
      options: request.options,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.byReference.set(tenant.externalReference, tenant);
    this.byOrderItem.set(itemKey, tenant.externalReference);
    return { tenant, created: true };
  }

  /** The tenant behind a reference, when it belongs to `product`. */
  find(product: string, externalReference: string): Tenant | undefined {
    const tenant = this.byReference.get(externalReference);
    return tenant?.product === product ? tenant : undefined;
  }

  /** Suspending twice is no error; a cancelled tenant cannot be suspended. */
  suspend(tenant: Tenant, now: Date): Outcome {
    if (tenant.status === 'cancelled') return { refusal: cancelled(tenant) };
    return { tenant: this.update(tenant, { status: 'suspended' }, now) };
  }

  /** A suspended tenant is active again; resuming an active one is no error; a cancelled one cannot be. */
  resume(tenant: Tenant, now: Date): Outcome {
    if (tenant.status === 'cancelled') return { refusal: cancelled(tenant) };
    if (tenant.status === 'provisioning') {
      return {
        refusal: {
          status: 409,
          error: 'not_suspended',
          message: `Tenant ${tenant.externalReference} is still provisioning`,
        },
      };
    }
    return { tenant: tenant.status === 'active' ? tenant : this.update(tenant, { status: 'active' }, now) };
  }

  /** Cancelling is final and may be repeated. */
  cancel(tenant: Tenant, now: Date): Outcome {
    return { tenant: tenant.status === 'cancelled' ? tenant : this.update(tenant, { status: 'cancelled' }, now) };
  }

  /** Moves the tenant to another plan (and options); its status stays as it was. */
  changePlan(tenant: Tenant, plan: string, options: Record<string, unknown>, now: Date): Outcome {
    if (tenant.status === 'cancelled') return { refusal: cancelled(tenant) };
    return { tenant: this.update(tenant, { plan, options }, now) };
  }

  /** A tenant onboarded as `provisioning` becomes `active` (the control API's "finish now"). */
  activate(tenant: Tenant, now: Date): Outcome {
    if (tenant.status !== 'provisioning') {
      return {
        refusal: { status: 409, error: 'not_provisioning', message: `Tenant is ${tenant.status}, not provisioning` },
      };
    }
    return { tenant: this.update(tenant, { status: 'active' }, now) };
  }

  list(): Tenant[] {
    return [...this.byReference.values()];
  }

  reset(): void {
    this.byReference.clear();
    this.byOrderItem.clear();
  }

  private update(tenant: Tenant, change: Partial<Pick<Tenant, 'status' | 'plan' | 'options'>>, now: Date): Tenant {
    const updated = { ...tenant, ...change, updatedAt: now.toISOString() };
    this.byReference.set(tenant.externalReference, updated);
    return updated;
  }
}

/**
 * Idempotency keys per product and operation: the same key must come with the same request
 * (the IETF Idempotency-Key draft answers a reuse with another payload 422).
 */
export class KeyLedger {
  private readonly fingerprints = new Map<string, string>();

  /** False when `key` was used before for this operation with a different request. */
  claim(product: string, operation: string, key: string, request: unknown): boolean {
    const id = [product, operation, key].join('\n');
    const fingerprint = digest(JSON.stringify(request));
    const earlier = this.fingerprints.get(id);
    if (earlier === undefined) this.fingerprints.set(id, fingerprint);
    return earlier === undefined || earlier === fingerprint;
  }

  reset(): void {
    this.fingerprints.clear();
  }
}

function cancelled(tenant: Tenant): Refusal {
  return { status: 409, error: 'tenant_cancelled', message: `Tenant ${tenant.externalReference} is cancelled` };
}

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
