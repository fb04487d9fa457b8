import { addNoteInput } from '@handover/contracts';
import { addNote } from '@handover/core';
import { router, staffProcedure } from '../../trpc';

/** Staff notes on orders and customers; any staff role writes them, under their own name. */
export const notesRouter = router({
  add: staffProcedure.input(addNoteInput).mutation(({ ctx, input }) => addNote(ctx.em, ctx.auth.user.id, input)),
});
