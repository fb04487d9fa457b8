import {
  type UserRole,
  type WebhookEndpointInput,
  type WebhookEventPattern,
  webhookEndpointInput,
} from '@handover/contracts';
import { User, WebhookDelivery, WebhookEndpoint } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SessionUser } from '../accounts/sessions';
import { recordActivity } from '../activity/activity';
import type { Clock } from '../clock';
import { NotFoundError, ValidationError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';
import type { SecretBox } from '../security/secrets';
import { newWebhookSecret } from './signing';
import type { WebhookTargetGuard } from './targetGuard';

/** Endpoints one person may have: enough for every system they run. */
export const MAX_ENDPOINTS_PER_USER = 20;

export interface WebhookEndpointDeps {
  clock: Clock;
  secrets: SecretBox;
  guard: WebhookTargetGuard;
}

/** An endpoint as its owner and admins see it: never its secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventPattern[];
  /** An admin's endpoint: it hears about every order. */
  allOrders: boolean;
  owner: { id: string; email: string; role: UserRole };
  disabledAt: Date | null;
  disabledReason: string | null;
  /** Deliveries have failed since then, with no success in between. */
  failingSince: Date | null;
  /** After a rotation: the previous secret signs too until then. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}

/** An endpoint just made, or its secret just rotated: the only time the secret is shown. */
export interface WebhookEndpointWithSecret extends WebhookEndpointView {
  secret: string;
}

function view(endpoint: WebhookEndpoint, now: Date): WebhookEndpointView {
  const owner = endpoint.user as User;
  const previousUntil = endpoint.previousSecretExpiresAt ?? null;
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description ?? null,
    events: [...endpoint.events],
    allOrders: endpoint.allOrders,
    owner: { id: owner.id, email: owner.email, role: owner.role as UserRole },
    disabledAt: endpoint.disabledAt ?? null,
    disabledReason: endpoint.disabledReason ?? null,
    failingSince: endpoint.failingSince ?? null,
    previousSecretExpiresAt: previousUntil && previousUntil > now ? previousUntil : null,
    createdAt: endpoint.createdAt,
  };
}

/** The endpoint, when `by` owns it or is an admin; not found otherwise. */
export async function findEndpointFor(em: EntityManager, id: string, by: SessionUser): Promise<WebhookEndpoint> {
  const endpoint = await em.findOne(WebhookEndpoint, id, { populate: ['user'] });
  if (!endpoint || (endpoint.user.id !== by.id && by.role !== 'admin')) {
    throw new NotFoundError('No such webhook endpoint.');
  }
  return endpoint;
}

async function checkedUrl(guard: WebhookTargetGuard, url: string): Promise<void> {
  const refused = await guard.check(url);
  if (refused) throw new ValidationError(`Handover cannot send to this address: ${refused}.`, { url: [refused] });
}

/**
 * Subscribes an endpoint of `owner`'s: an admin's hears about every order, anyone else's about
 * their own. Its address is checked (https, a public address) before it is saved. The signing
 * secret is returned once and kept encrypted.
 */
export async function createWebhookEndpoint(
  em: EntityManager,
  owner: SessionUser,
  input: WebhookEndpointInput,
  deps: WebhookEndpointDeps,
): Promise<WebhookEndpointWithSecret> {
  const data = webhookEndpointInput.parse(input);
  await checkedUrl(deps.guard, data.url);
  const count = await em.count(WebhookEndpoint, { user: owner.id });
  if (count >= MAX_ENDPOINTS_PER_USER) {
    throw new ValidationError(`You have ${count} webhook endpoints; delete one you no longer use first.`);
  }
  const secret = newWebhookSecret();
  const now = deps.clock.now();
  return em.transactional(async (tem) => {
    const endpoint = tem.create(WebhookEndpoint, {
      user: await tem.findOneOrFail(User, owner.id),
      allOrders: owner.role === 'admin',
      url: data.url,
      description: data.description || null,
      events: data.events,
      secretEncrypted: deps.secrets.encrypt(secret),
      createdAt: now,
      updatedAt: now,
    });
    recordActivity(tem, {
      action: 'webhook_endpoint.created',
      subjectType: 'webhook_endpoint',
      subjectId: endpoint.id,
      actor: { type: 'user', id: owner.id },
      description: `Webhook endpoint ${data.url}`,
      properties: { events: data.events, allOrders: endpoint.allOrders },
    });
    await tem.flush();
    // The dispatcher sleeps while no endpoint exists: this one wakes it.
    await addJob(tem, jobSpec('dispatch_webhooks', {}));
    return { ...view(endpoint, now), secret };
  });
}

/** Someone's endpoints, or (no user) every endpoint, for the back office. */
export async function listWebhookEndpoints(
  em: EntityManager,
  filter: { userId?: string },
  clock: Clock,
): Promise<WebhookEndpointView[]> {
  const rows = await em.find(WebhookEndpoint, filter.userId ? { user: filter.userId } : {}, {
    populate: ['user'],
    orderBy: { createdAt: 'desc', id: 'asc' },
    limit: 500,
  });
  const now = clock.now();
  return rows.map((row) => view(row, now));
}

export async function updateWebhookEndpoint(
  em: EntityManager,
  id: string,
  by: SessionUser,
  input: WebhookEndpointInput,
  deps: Pick<WebhookEndpointDeps, 'clock' | 'guard'>,
): Promise<WebhookEndpointView> {
  const data = webhookEndpointInput.parse(input);
  const endpoint = await findEndpointFor(em, id, by);
  if (data.url !== endpoint.url) await checkedUrl(deps.guard, data.url);
  Object.assign(endpoint, { url: data.url, description: data.description || null, events: data.events });
  recordActivity(em, {
    action: 'webhook_endpoint.updated',
    subjectType: 'webhook_endpoint',
    subjectId: endpoint.id,
    actor: { type: 'user', id: by.id },
    properties: { url: data.url, events: data.events },
  });
  await em.flush();
  return view(endpoint, deps.clock.now());
}

/**
 * A new signing secret, returned once. The old one keeps signing beside it for `overlapHours`
 * (each message then carries both signatures), so receivers can switch without missing one.
 */
export async function rotateWebhookSecret(
  em: EntityManager,
  id: string,
  by: SessionUser,
  overlapHours: number,
  deps: Pick<WebhookEndpointDeps, 'clock' | 'secrets'>,
): Promise<WebhookEndpointWithSecret> {
  const endpoint = await findEndpointFor(em, id, by);
  const now = deps.clock.now();
  const secret = newWebhookSecret();
  endpoint.previousSecretEncrypted = overlapHours > 0 ? endpoint.secretEncrypted : null;
  endpoint.previousSecretExpiresAt = overlapHours > 0 ? new Date(now.getTime() + overlapHours * 3_600_000) : null;
  endpoint.secretEncrypted = deps.secrets.encrypt(secret);
  recordActivity(em, {
    action: 'webhook_endpoint.secret_rotated',
    subjectType: 'webhook_endpoint',
    subjectId: endpoint.id,
    actor: { type: 'user', id: by.id },
    properties: { overlapHours },
  });
  await em.flush();
  return { ...view(endpoint, now), secret };
}

/**
 * Turns an endpoint off, or on again. Turned on, its deliveries still waiting are sent at once
 * and it starts with a clean record.
 */
export async function setWebhookEndpointEnabled(
  em: EntityManager,
  id: string,
  by: SessionUser,
  enabled: boolean,
  clock: Clock,
): Promise<WebhookEndpointView> {
  return em.transactional(async (tem) => {
    const endpoint = await findEndpointFor(tem, id, by);
    const now = clock.now();
    if (enabled && endpoint.disabledAt) {
      endpoint.disabledAt = null;
      endpoint.disabledReason = null;
      endpoint.failingSince = null;
      const waiting = await tem.find(WebhookDelivery, { endpoint: endpoint.id, status: 'pending' }, { fields: ['id'] });
      for (const delivery of waiting) {
        await addJob(tem, jobSpec('deliver_webhook', { deliveryId: delivery.id, trigger: 'scheduled' }));
      }
      await addJob(tem, jobSpec('dispatch_webhooks', {}));
    } else if (!enabled && !endpoint.disabledAt) {
      endpoint.disabledAt = now;
      endpoint.disabledReason = `Turned off by ${by.email}`;
    } else {
      return view(endpoint, now);
    }
    recordActivity(tem, {
      action: enabled ? 'webhook_endpoint.enabled' : 'webhook_endpoint.disabled',
      subjectType: 'webhook_endpoint',
      subjectId: endpoint.id,
      actor: { type: 'user', id: by.id },
    });
    await tem.flush();
    return view(endpoint, now);
  });
}

/** Deletes an endpoint with its deliveries. */
export async function deleteWebhookEndpoint(em: EntityManager, id: string, by: SessionUser): Promise<void> {
  const endpoint = await findEndpointFor(em, id, by);
  recordActivity(em, {
    action: 'webhook_endpoint.deleted',
    subjectType: 'webhook_endpoint',
    subjectId: endpoint.id,
    actor: { type: 'user', id: by.id },
    description: `Webhook endpoint ${endpoint.url}`,
  });
  em.remove(endpoint);
  await em.flush();
}
