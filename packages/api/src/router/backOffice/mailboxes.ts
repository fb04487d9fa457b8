import {
  DOMAIN_TRANSFER_STATUSES,
  HOSTING_PLATFORMS,
  NAME_SERVER_STATUSES,
  ORDER_AUTOMATION_STATUSES,
} from '@handover/contracts';
import { listDomainTransfers, listOrderAutomations, listOrderMailboxes, retryMailboxWork } from '@handover/core';
import { z } from 'zod';
import { opsProcedure, router, staffProcedure } from '../../trpc';
import { offsetInput, offsetOf, searchText } from './inputs';

const filters = {
  platform: z.enum(HOSTING_PLATFORMS).optional(),
  domain: searchText,
  orderId: z.uuid().optional(),
};

/** Seed 001's domain transfers and Mailin.ai jobs: watching (all staff) and retrying (ops and admin). */
export const mailboxesRouter = router({
  domainTransfers: staffProcedure
    .input(
      z.object({
        ...offsetInput,
        ...filters,
        status: z.enum(DOMAIN_TRANSFER_STATUSES).optional(),
        nameServerStatus: z.enum(NAME_SERVER_STATUSES).optional(),
      }),
    )
    .query(({ ctx, input: { page, perPage, ...filter } }) =>
      listDomainTransfers(ctx.em, filter, offsetOf({ page, perPage })),
    ),

  automations: staffProcedure
    .input(z.object({ ...offsetInput, ...filters, status: z.enum(ORDER_AUTOMATION_STATUSES).optional() }))
    .query(({ ctx, input: { page, perPage, ...filter } }) =>
      listOrderAutomations(ctx.em, filter, offsetOf({ page, perPage })),
    ),

  /** An order's mailboxes: logins and Mailin.ai's ids, never a password. */
  orderMailboxes: staffProcedure
    .input(z.object({ orderId: z.uuid() }))
    .query(({ ctx, input }) => listOrderMailboxes(ctx.em, input.orderId)),

  /** A failed transfer or mailbox batch: its record is retried from the step that failed. */
  retry: opsProcedure
    .input(z.union([z.object({ transferId: z.uuid() }), z.object({ automationId: z.uuid() })]))
    .mutation(({ ctx, input }) =>
      retryMailboxWork(ctx.em, input, { type: 'user', id: ctx.auth.user.id }, ctx.clock.now()),
    ),
});
