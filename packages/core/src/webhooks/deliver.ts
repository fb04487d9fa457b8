import type { WebhookAttemptTrigger } from '@handover/contracts';
import { type User, WebhookAttempt, WebhookDelivery, type WebhookEndpoint } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity, SYSTEM } from '../activity/activity';
import type { Clock } from '../clock';
import { addJob, jobSpec } from '../jobs/addJob';
import { notifyInApp, queueMessage } from '../notifications/outbox';
import { webhookEndpointDisabledMessage } from '../notifications/templates';
import type { SecretBox } from '../security/secrets';
import { type PostAnswer, postWebhook } from './httpPost';
import { signedWebhookHeaders } from './signing';
import type { WebhookTargetGuard } from './targetGuard';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The waits between a delivery's attempts: quick at first, then spaced out to 12 hours, about
 * three days in all (71.6 hours over 14 attempts). After the last, the delivery has failed.
 */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  MINUTE,
  5 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  12 * HOUR,
  12 * HOUR,
  12 * HOUR,
  12 * HOUR,
  8 * HOUR,
];

export interface WebhookDeliveryDeps {
  em: EntityManager;
  clock: Clock;
  secrets: SecretBox;
  guard: WebhookTargetGuard;
  /** Waits between scheduled attempts; after the last, the delivery fails. */
  retryDelaysMs: readonly number[];
  /** The longest one attempt may take, connection to last byte. */
  timeoutMs: number;
  /** The customer portal, for the link in the "endpoint turned off" email. */
  portalUrl: string;
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'skipped';

/** What the receiver is told the request is. */
const USER_AGENT = 'Handover-Webhooks/1.0 (+https://www.standardwebhooks.com/)';

/**
 * One attempt of a delivery: signs the payload (with both secrets during a rotation's overlap),
 * POSTs it, and records the request and the answer. A 2xx delivers it. Otherwise a scheduled
 * attempt waits for the next on the schedule, and after the last the delivery fails; when no
 * delivery to the endpoint has worked since this one was made, the endpoint is turned off and
 * its owner told. A manual attempt ("Redeliver") changes only what it proves: a success
 * delivers, a failure leaves the delivery's schedule as it was.
 */
export async function deliverWebhook(
  deps: WebhookDeliveryDeps,
  deliveryId: string,
  trigger: WebhookAttemptTrigger,
): Promise<DeliveryOutcome> {
  const em = deps.em.fork();
  const delivery = await em.findOne(WebhookDelivery, deliveryId, { populate: ['endpoint', 'endpoint.user'] });
  if (!delivery) return 'skipped';
  const endpoint = delivery.endpoint as WebhookEndpoint;
  if (trigger === 'scheduled' && (delivery.status !== 'pending' || endpoint.disabledAt)) return 'skipped';

  const now = deps.clock.now();
  const secrets = [deps.secrets.decrypt(endpoint.secretEncrypted)];
  if (endpoint.previousSecretEncrypted && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(deps.secrets.decrypt(endpoint.previousSecretEncrypted));
  }
  const body = JSON.stringify(delivery.payload);
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    ...signedWebhookHeaders({ secrets, messageId: delivery.messageId, timestamp: now, body }),
  };
  const started = Date.now();
  let answer: PostAnswer | null = null;
  let error: string | null = null;
  try {
    answer = await postWebhook(endpoint.url, headers, body, { guard: deps.guard, timeoutMs: deps.timeoutMs });
    if (answer.status < 200 || answer.status > 299) error = `answered ${answer.status}`;
  } catch (caught) {
    error = describe(caught);
  }
  const durationMs = Date.now() - started;
  const at = deps.clock.now();

  return em.transactional(async (tem) => {
    tem.create(WebhookAttempt, {
      delivery,
      trigger,
      url: endpoint.url,
      requestHeaders: headers,
      responseStatus: answer?.status ?? null,
      responseHeaders: answer?.headers ?? null,
      responseBody: answer?.body ?? null,
      error,
      durationMs,
      attemptedAt: at,
    });
    delivery.lastResponseStatus = answer?.status ?? null;
    delivery.lastError = error;
    if (trigger === 'scheduled') delivery.attempts += 1;

    if (!error) {
      delivery.status = 'delivered';
      delivery.deliveredAt = at;
      delivery.nextAttemptAt = null;
      endpoint.failingSince = null;
      await tem.flush();
      return 'delivered';
    }
    if (trigger === 'manual') {
      await tem.flush();
      return delivery.status === 'pending' ? 'retrying' : delivery.status === 'failed' ? 'failed' : 'delivered';
    }

    endpoint.failingSince ??= at;
    const wait = deps.retryDelaysMs[delivery.attempts - 1];
    if (wait !== undefined) {
      delivery.nextAttemptAt = new Date(at.getTime() + wait);
      await tem.flush();
      await addJob(
        tem,
        jobSpec(
          'deliver_webhook',
          { deliveryId: delivery.id, trigger: 'scheduled' },
          { runAt: delivery.nextAttemptAt },
        ),
      );
      return 'retrying';
    }
    delivery.status = 'failed';
    delivery.nextAttemptAt = null;
    await tem.flush();
    // Nothing has got through since this delivery's first attempt, days ago: the endpoint is gone.
    const [first] = await tem.execute<{ at: Date | null }[]>(
      `select min(attempted_at) as at from webhook_attempts where delivery_id = ? and trigger = 'scheduled'`,
      [delivery.id],
    );
    const firstAttempt = first?.at ? new Date(first.at) : at;
    if (!endpoint.disabledAt && endpoint.failingSince <= firstAttempt) {
      await turnOff(tem, endpoint, error, at, deps.portalUrl);
      await tem.flush();
    }
    return 'failed';
  });
}

async function turnOff(em: EntityManager, endpoint: WebhookEndpoint, lastError: string, now: Date, portalUrl: string) {
  const owner = endpoint.user as User;
  const failingSince = endpoint.failingSince ?? now;
  endpoint.disabledAt = now;
  endpoint.disabledReason = `No delivery has worked since ${failingSince.toISOString()}; the last: ${lastError}`;
  recordActivity(em, {
    action: 'webhook_endpoint.disabled',
    subjectType: 'webhook_endpoint',
    subjectId: endpoint.id,
    actor: SYSTEM,
    description: endpoint.disabledReason,
  });
  const manageUrl = owner.role === 'customer' ? `${portalUrl.replace(/\/$/, '')}/account/webhooks` : portalUrl;
  const message = webhookEndpointDisabledMessage({ url: endpoint.url, failingSince, lastError, manageUrl });
  await queueMessage(em, {
    channel: 'email',
    recipient: owner.email,
    template: 'webhook_endpoint_disabled',
    subject: message.subject,
    body: message.body,
    data: { endpointId: endpoint.id },
  });
  notifyInApp(em, {
    userId: owner.id,
    type: 'webhook_endpoint_disabled',
    title: 'A webhook endpoint was turned off',
    message: `Deliveries to ${endpoint.url} kept failing, so Handover stopped sending to it.`,
    data: { endpointId: endpoint.id },
  });
}

/** A failed request in a line a person can act on. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
