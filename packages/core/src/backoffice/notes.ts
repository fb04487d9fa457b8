import { type AddNoteInput, addNoteInput, type NoteSubject } from '@handover/contracts';
import { Order, StaffNote, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { NotFoundError } from '../errors';

export interface NoteView {
  id: string;
  body: string;
  authorId: string;
  authorEmail: string;
  authorName: string | null;
  createdAt: Date;
}

/** A subject's notes, newest first. */
export async function listNotes(em: EntityManager, subjectType: NoteSubject, subjectId: string): Promise<NoteView[]> {
  const notes = await em.find(
    StaffNote,
    { subjectType, subjectId },
    { populate: ['author'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: 200 },
  );
  return notes.map(toNoteView);
}

/**
 * A staff member writes a note on an order or a customer. The note and its activity entry (on
 * the same subject, so the order's activity shows it) commit together.
 */
export async function addNote(em: EntityManager, authorId: string, input: AddNoteInput): Promise<NoteView> {
  const { subjectType, subjectId, body } = addNoteInput.parse(input);
  return em.transactional(async (tem) => {
    const exists =
      subjectType === 'order' ? await tem.count(Order, { id: subjectId }) : await tem.count(User, { id: subjectId });
    if (!exists) throw new NotFoundError(`No ${subjectType} with this id.`);
    const note = tem.create(StaffNote, {
      subjectType,
      subjectId,
      author: tem.getReference(User, authorId),
      body,
    });
    recordActivity(tem, {
      action: 'note.added',
      subjectType,
      subjectId,
      actor: { type: 'user', id: authorId },
      description: body.length > 120 ? `${body.slice(0, 119)}…` : body,
      properties: { noteId: note.id },
    });
    await tem.flush();
    await tem.populate(note, ['author']);
    return toNoteView(note);
  });
}

function toNoteView(note: StaffNote): NoteView {
  const author = note.author as User;
  return {
    id: note.id,
    body: note.body,
    authorId: author.id,
    authorEmail: author.email,
    authorName: author.name ?? null,
    createdAt: note.createdAt,
  };
}
