import type { Order } from '@handover/db';
import type { ActivationPlan } from '../activation/plan';
import type { ActivationFacts, OrderFacts } from '../events/domainEvents';

/** What events say of an order. */
export const orderFacts = (order: Pick<Order, 'id' | 'orderCode' | 'email' | 'user'>): OrderFacts => ({
  orderId: order.id,
  orderCode: order.orderCode,
  customerEmail: order.email,
  userId: order.user.id,
});

/** What events say of an activation plan. */
export const activationFacts = (plan: Pick<ActivationPlan, 'type' | 'at' | 'timeZone'>): ActivationFacts => ({
  type: plan.type,
  at: plan.at?.toISOString() ?? null,
  timeZone: plan.timeZone,
});
