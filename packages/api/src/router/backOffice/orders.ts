import {
  getOrderForStaff,
  LIST_EXPORTS,
  listOrderMessages,
  listOrders,
  resendOrderMessage,
  sendOrderMessageAgain,
} from '@handover/core';
import { z } from 'zod';
import { opsProcedure, router, staffProcedure } from '../../trpc';
import { keysetInput } from './inputs';

export const ordersRouter = router({
  list: staffProcedure
    .input(LIST_EXPORTS.orders.filter.extend(keysetInput))
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listOrders(ctx.em, filter, { cursor, limit, order }),
    ),
  byId: staffProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => getOrderForStaff(ctx.em, input.id)),
  /** The emails, texts and operator-system messages sent about the order, from the outbox, with where each stands. */
  messages: staffProcedure
    .input(z.object({ orderId: z.uuid() }))
    .query(({ ctx, input }) => listOrderMessages(ctx.em, input.orderId)),
  /** A new copy of one of them, queued through the outbox; a person decides it, never a token. */
  resendMessage: opsProcedure
    .meta({ sessionOnly: true })
    .input(z.object({ orderId: z.uuid(), messageId: z.uuid() }))
    .mutation(({ ctx, input }) => resendOrderMessage(ctx.em, ctx.auth.user.id, input)),
  /** A failed operator-system message, the same row set back to pending and queued; a person decides it, never a token. */
  sendMessageAgain: opsProcedure
    .meta({ sessionOnly: true })
    .input(z.object({ orderId: z.uuid(), messageId: z.uuid() }))
    .mutation(({ ctx, input }) => sendOrderMessageAgain(ctx.em, ctx.auth.user.id, input, ctx.clock.now())),
});
