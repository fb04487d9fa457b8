import { ACTIVATION_CHECK_LABELS, type ActivationCheckId, readServiceRules } from '@handover/contracts';
import { FulfillmentRecord, Order, type PreflightProblem, type Product, type User } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { activityLogRow, SYSTEM } from '../activity/activity';
import { WriteBatch } from '../database/writeBatch';
import { ConflictError, NotFoundError, TransientError } from '../errors';
import { publish } from '../events/publish';
import type { PreflightFinding } from '../fulfillment/adapter';
import { callLifecycle, type LifecycleDeps, loadRecordForLifecycle, logLifecycleRows } from '../fulfillment/lifecycle';
import { addJob, jobSpec } from '../jobs/addJob';
import { activationFacts, orderFacts } from '../provisioning/facts';

/** What a check reads of the order it is run for. */
export interface ActivationCheckContext {
  em: EntityManager;
  order: { id: string; orderCode: string; activateAt: Date; timeZone: string };
  customer: { id: string; email: string; customerNumber: string | null; company: string | null };
  product: { id: string; name: string; slug: string };
}

/**
 * One thing a scheduled activation needs besides the driver's own checks (seed 004 5a), named by
 * products' service rules and implemented by what holds the fact: a billing system holds the
 * customer's payment methods. The worker registers the checks it has.
 */
export interface ActivationCheck {
  id: ActivationCheckId;
  /** Nothing missing: null; otherwise what is. A system that does not answer throws TransientError. */
  check(ctx: ActivationCheckContext): Promise<Omit<PreflightFinding, 'check'> | null>;
}

/**
 * The seam a billing system implements for the "payment method on file" check (seed 004: the BFF
 * checks hasPaymentMethod in WHMCS): whether the customer has one there, and where they add one.
 */
export interface PaymentMethodsOnFile {
  /** The billing system, as ops read it ("WHMCS"). */
  system: string;
  hasPaymentMethod(customer: ActivationCheckContext['customer'], em: EntityManager): Promise<boolean>;
  /** Where the customer adds a payment method, when the system has such a page. */
  addPaymentMethodUrl?: string;
}

/** `payment_method_on_file` over a billing system. */
export function paymentMethodOnFileCheck(source: PaymentMethodsOnFile): ActivationCheck {
  return {
    id: 'payment_method_on_file',
    async check(ctx) {
      if (await source.hasPaymentMethod(ctx.customer, ctx.em)) return null;
      return {
        problem: `A payment method on file for ${ctx.product.name}${source.addPaymentMethodUrl ? `: add one at ${source.addPaymentMethodUrl}` : ': add one in your billing account'}`,
        detail: `${source.system} has no payment method for ${ctx.customer.email}`,
        customerCanFix: true,
      };
    },
  };
}

export interface PreflightDeps extends LifecycleDeps {
  checks: readonly ActivationCheck[];
  portalUrl: string;
  /** After a preflight that found something missing, the next look (default 12 hours). */
  recheckAfterMs?: number;
}

export const DEFAULT_PREFLIGHT_RECHECK_MS = 12 * 3_600_000;

export type PreflightOutcome = 'passed' | 'missing' | 'not_due' | 'skipped';

/**
 * Seed 004 5a's preflight, T−3 days before a scheduled activation: each check the product's rules
 * name and the driver's own (the eSIM plan available) run, outside any transaction; then, with the
 * order locked, the findings are stored and, when they changed, the customer and ops are told
 * (what is missing), or told it is all there now. While something is missing it looks again
 * every `recheckAfterMs` until the date. `force` (ops' "Check now") runs it before it is due.
 */
export async function runActivationPreflight(
  deps: PreflightDeps,
  orderId: string,
  { attempt = 1, force = false }: { attempt?: number; force?: boolean } = {},
): Promise<PreflightOutcome> {
  const em = deps.em.fork();
  const now = deps.clock.now();
  const recheck = deps.recheckAfterMs ?? DEFAULT_PREFLIGHT_RECHECK_MS;
  const order = await em.findOne(Order, orderId, { populate: ['user'] });
  if (!order || !isWaitingForDate(order)) return 'skipped';
  if (!force && !isPreflightDue(order, now, recheck)) return 'not_due';
  const records = await em.find(
    FulfillmentRecord,
    { order: order.id, status: 'scheduled' },
    { populate: ['product'], orderBy: { position: 'asc' } },
  );
  if (records.length === 0) return 'skipped';

  const findings: PreflightProblem[] = [];
  const logs = new WriteBatch();
  const customer = order.user as User;
  for (const product of uniqueProducts(records)) {
    for (const id of readServiceRules(product.serviceRules).activationChecks) {
      const check = deps.checks.find((candidate) => candidate.id === id);
      if (!check) {
        findings.push({
          check: id,
          problem: 'Our team is completing a check on your order',
          detail: `no system is set up to check "${ACTIVATION_CHECK_LABELS[id]}" on this worker`,
          customerCanFix: false,
        });
        continue;
      }
      const found = await check.check({
        em: em.fork(),
        order: {
          id: order.id,
          orderCode: order.orderCode,
          activateAt: order.activationScheduledAt as Date,
          timeZone: order.activationTimeZone as string,
        },
        customer: {
          id: customer.id,
          email: customer.email,
          customerNumber: customer.customerNumber ?? null,
          company: customer.company ?? null,
        },
        product: { id: product.id, name: product.name, slug: product.slug },
      });
      if (found) findings.push({ check: id, ...found });
    }
  }
  for (const record of records) {
    const loaded = await loadRecordForLifecycle(deps, record.id);
    const preflight = loaded?.adapter.preflight;
    if (!loaded || !preflight) continue;
    const outcome = await callLifecycle(deps, loaded, 'activation_preflight', attempt, (ctx) =>
      preflight.call(loaded.adapter, ctx),
    );
    logLifecycleRows(logs, loaded, 'activation_preflight', attempt, now, { calls: outcome.calls });
    if (!outcome.ok) {
      if (outcome.error instanceof TransientError) {
        await logs.execute(em);
        throw outcome.error;
      }
      findings.push({
        check: `${record.driver}_preflight`,
        problem: 'Our team is completing a check on your order',
        detail: `the ${record.driver} check failed: ${(outcome.error as Error).message}`,
        customerCanFix: false,
      });
    } else findings.push(...outcome.value);
  }

  await em.transactional(async (tem) => {
    const locked = await tem.findOneOrFail(Order, order.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!isWaitingForDate(locked)) return;
    const before = locked.preflightProblems ?? null;
    const batch = logs
      .write(
        'update orders set preflight_checked_at = ?, preflight_problems = ?::jsonb, updated_at = ? where id = ? returning 1',
        [now, JSON.stringify(findings), now, locked.id],
      )
      .insert('activity_logs', [
        activityLogRow(
          {
            action: 'order.activation_preflight',
            subjectType: 'order',
            subjectId: locked.id,
            actor: SYSTEM,
            description:
              findings.length === 0 ? 'Everything activation needs is there' : findings.map((f) => f.detail).join('; '),
            properties: { problems: findings.map((f) => f.check), forced: force },
          },
          now,
        ),
      ]);
    const facts = orderFacts(locked);
    const activation = activationFacts({
      type: 'scheduled',
      at: locked.activationScheduledAt ?? null,
      timeZone: locked.activationTimeZone ?? null,
    });
    if (findings.length > 0 && !sameChecks(before, findings)) {
      publish(batch, [{ type: 'activation.preflight_failed', order: facts, activation, problems: findings }], {
        portalUrl: deps.portalUrl,
        now,
      });
    } else if (findings.length === 0 && before && before.length > 0) {
      publish(batch, [{ type: 'activation.preflight_passed', order: facts, activation }], {
        portalUrl: deps.portalUrl,
        now,
      });
    }
    await batch.execute(tem);
    // Something is missing: look again later, until the date.
    const next = new Date(now.getTime() + recheck);
    if (findings.length > 0 && locked.activationScheduledAt && next < locked.activationScheduledAt) {
      await addJob(tem, jobSpec('activation_preflight', { orderId: locked.id }, { runAt: next }));
    }
  });
  return findings.length === 0 ? 'passed' : 'missing';
}

/** Approved (or paid), scheduled, with a date, and not started yet. */
function isWaitingForDate(order: Order): boolean {
  return (
    (order.status === 'approved' || order.status === 'paid') &&
    order.activationType === 'scheduled' &&
    order.activationScheduledAt != null &&
    order.activationTimeZone != null &&
    order.activationStartedAt == null
  );
}

/** T−3 days has come, and either no preflight ran or the last one found something missing long enough ago. */
export function isPreflightDue(
  order: Pick<Order, 'activationPreflightAt' | 'preflightCheckedAt' | 'preflightProblems'>,
  now: Date,
  recheckAfterMs: number,
): boolean {
  if (!order.activationPreflightAt || order.activationPreflightAt > now) return false;
  if (!order.preflightCheckedAt) return true;
  const missing = (order.preflightProblems ?? []).length > 0;
  return missing && order.preflightCheckedAt.getTime() + recheckAfterMs <= now.getTime();
}

function uniqueProducts(records: FulfillmentRecord[]): Product[] {
  const byId = new Map<string, Product>();
  for (const record of records) byId.set(record.product.id, record.product as Product);
  return [...byId.values()];
}

/** Whether two preflights found the same things missing (then nobody is told again). */
function sameChecks(before: readonly PreflightProblem[] | null, after: readonly PreflightProblem[]): boolean {
  if (!before) return false;
  const key = (list: readonly PreflightProblem[]) => [...list.map((f) => `${f.check}:${f.detail}`)].sort().join('|');
  return key(before) === key(after);
}

/**
 * Ops' "Check now": the preflight of an order waiting for its activation date runs at once, even
 * before T−3 days, and says what it finds as the scheduled one would.
 */
export async function requestPreflightNow(em: EntityManager, orderId: string): Promise<void> {
  await em.transactional(async (tem) => {
    const order = await tem.findOne(Order, orderId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!order) throw new NotFoundError(`No order with id ${orderId}.`);
    if (!isWaitingForDate(order)) {
      throw new ConflictError(
        `Order ${order.orderCode} is not waiting for an activation date: there is nothing to check.`,
      );
    }
    await addJob(tem, jobSpec('activation_preflight', { orderId, force: true }));
  });
}
