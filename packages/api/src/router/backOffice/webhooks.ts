import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from '@handover/contracts';
import { listWebhookDeliveries, listWebhookEndpoints } from '@handover/core';
import { z } from 'zod';
import { adminProcedure, router } from '../../trpc';
import { keysetInput } from './inputs';

/** Every outbound webhook endpoint and delivery, for admins; changes go through `webhooks.*`, which lets admins act on any. */
export const webhooksRouter = router({
  endpoints: adminProcedure
    .meta({ sessionOnly: true })
    .input(z.object({ userId: z.uuid().optional() }))
    .query(({ ctx, input }) => listWebhookEndpoints(ctx.em, input, ctx.clock)),

  deliveries: adminProcedure
    .meta({ sessionOnly: true })
    .input(
      z.object({
        ...keysetInput,
        endpointId: z.uuid().optional(),
        status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
        eventType: z.enum(WEBHOOK_EVENT_TYPES).optional(),
      }),
    )
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listWebhookDeliveries(ctx.em, filter, { cursor, limit, order }),
    ),
});
