import {
  rotateWebhookSecretInput,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  webhookEndpointInput,
} from '@handover/contracts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookDelivery,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
  WebhookTargetGuard,
} from '@handover/core';
import { z } from 'zod';
import { type Context, protectedProcedure, router } from '../trpc';
import { keysetInput } from './backOffice/inputs';

/** Without a policy from the server, only public addresses. */
const strictGuard = new WebhookTargetGuard({ allowedNetworks: [] });
const guardOf = (ctx: Context) => ctx.webhookGuard ?? strictGuard;

/** Signed in only: a webhook's secret is handed out here. */
const webhookProcedure = protectedProcedure.meta({ sessionOnly: true });

const idInput = z.object({ id: z.uuid() });

/**
 * A person's outbound webhook endpoints and their deliveries (an admin's endpoints hear about
 * every order). Admins may act on anyone's endpoint; their full lists are in backOffice.webhooks.
 */
export const webhooksRouter = router({
  endpoints: webhookProcedure.query(({ ctx }) => listWebhookEndpoints(ctx.em, { userId: ctx.auth.user.id }, ctx.clock)),

  /** The signing secret is in the answer, once. */
  create: webhookProcedure.input(webhookEndpointInput).mutation(({ ctx, input }) =>
    createWebhookEndpoint(ctx.em, ctx.auth.user, input, {
      clock: ctx.clock,
      secrets: ctx.secrets,
      guard: guardOf(ctx),
    }),
  ),

  update: webhookProcedure
    .input(webhookEndpointInput.safeExtend({ id: z.uuid() }))
    .mutation(({ ctx, input: { id, ...data } }) =>
      updateWebhookEndpoint(ctx.em, id, ctx.auth.user, data, { clock: ctx.clock, guard: guardOf(ctx) }),
    ),

  /** A new secret, returned once; the old one keeps signing beside it for the overlap. */
  rotateSecret: webhookProcedure.input(rotateWebhookSecretInput).mutation(({ ctx, input }) =>
    rotateWebhookSecret(ctx.em, input.id, ctx.auth.user, input.overlapHours, {
      clock: ctx.clock,
      secrets: ctx.secrets,
    }),
  ),

  setEnabled: webhookProcedure
    .input(z.object({ id: z.uuid(), enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setWebhookEndpointEnabled(ctx.em, input.id, ctx.auth.user, input.enabled, ctx.clock)),

  remove: webhookProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    await deleteWebhookEndpoint(ctx.em, input.id, ctx.auth.user);
    return { id: input.id };
  }),

  deliveries: webhookProcedure
    .input(
      z.object({
        ...keysetInput,
        endpointId: z.uuid().optional(),
        status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
        eventType: z.enum(WEBHOOK_EVENT_TYPES).optional(),
      }),
    )
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listWebhookDeliveries(ctx.em, { ...filter, ownerId: ctx.auth.user.id }, { cursor, limit, order }),
    ),

  /** The payload sent, and each attempt's request headers and answer. */
  delivery: webhookProcedure
    .input(idInput)
    .query(({ ctx, input }) => getWebhookDelivery(ctx.em, input.id, ctx.auth.user)),

  /** One more attempt now, with the same webhook-id. */
  redeliver: webhookProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => redeliverWebhook(ctx.em, input.id, ctx.auth.user)),
});
