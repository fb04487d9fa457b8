import { z } from 'zod';
import type { Tenant } from './tenants';

/** A product's slug in the emulator's URL: each product is its own provider at /saas/<product>. */
export const productParams = z.object({ product: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'is not a slug') });

const id = z.string().trim().min(1, 'is required').max(100);

/** Every POST body names its operation, so that a body signed for one endpoint is refused at another. */
const operation = <O extends string>(name: O) => z.literal(name, `must be "${name}" at this endpoint`);

/** docs/saas-provider-contract.openapi.yaml: OnboardRequest. */
export const onboardBody = z.object({
  operation: operation('onboard'),
  order_id: id,
  order_item_id: id,
  product_id: id,
  external_product_ref: id.nullish(),
  plan: z.string().trim().min(1).max(60).nullish(),
  customer: z.object({
    email: z.email('must be an email address'),
    name: z.string().trim().min(1, 'is required').max(200),
  }),
  options: z.record(z.string(), z.unknown()).default({}),
  trial_days: z.number().int().min(0).max(365).nullish(),
});

/** docs/saas-provider-contract.openapi.yaml: TenantRequest (suspend, resume and cancel). */
export const tenantBody = <O extends 'suspend' | 'resume' | 'cancel' | 'upgrade'>(name: O) =>
  z.object({
    operation: operation(name),
    external_reference: id,
    order_id: id,
    order_item_id: id,
    reason: z.string().max(500).nullish(),
  });
export type TenantBody = z.output<ReturnType<typeof tenantBody>>;

/** docs/saas-provider-contract.openapi.yaml: UpgradeRequest. */
export const upgradeBody = tenantBody('upgrade').extend({
  plan: z.string().trim().min(1, 'is required').max(60),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** docs/saas-provider-contract.openapi.yaml: TenantState, the answer to every operation. */
export function tenantState(tenant: Tenant) {
  return {
    external_reference: tenant.externalReference,
    external_tenant_id: tenant.externalTenantId,
    external_customer_id: tenant.externalCustomerId,
    external_subscription_id: tenant.externalSubscriptionId,
    external_user_id: tenant.externalUserId,
    external_workspace_url: tenant.workspaceUrl,
    status: tenant.status,
    plan: tenant.plan,
    order_id: tenant.orderId,
    order_item_id: tenant.orderItemId,
    updated_at: tenant.updatedAt,
  };
}

export function validationError(error: z.ZodError, prefix = ''): { error: string; message: string } {
  const message = error.issues
    .map((issue) => `${[prefix, ...issue.path].filter((p) => p !== '').join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return { error: 'validation_error', message };
}
