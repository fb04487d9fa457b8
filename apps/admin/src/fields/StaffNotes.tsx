import { NOTE_MAX_LENGTH, type NoteSubject } from '@handover/contracts';
import { Box, Button, List, ListItem, ListItemText, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { HttpError, useNotify, useRefresh } from 'react-admin';
import { useBackOffice } from '../permissions';

export interface StaffNote {
  id: string;
  body: string;
  authorEmail: string;
  authorName: string | null;
  createdAt: Date;
}

/** The field's own message when the server refused the note (empty, too long), else the error's. */
function refusal(error: Error): string {
  const field = error instanceof HttpError ? (error.body as { errors?: Record<string, string> } | null)?.errors : null;
  return field?.body ?? error.message;
}

/** Staff notes on an order or a customer, newest first, and a box to add one under your own name. */
export function StaffNotes({
  subjectType,
  subjectId,
  notes,
}: {
  subjectType: NoteSubject;
  subjectId: string;
  notes: StaffNote[];
}) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const [body, setBody] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => backOffice.addNote({ subjectType, subjectId, body }),
    onSuccess: () => {
      setBody('');
      setProblem(null);
      notify('Note added.', { type: 'info' });
      refresh();
    },
    onError: (error: Error) => setProblem(refusal(error)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) {
      setProblem('Write the note before saving it');
      return;
    }
    add.mutate();
  };
  const inputId = `note-${subjectType}-${subjectId}`;
  return (
    <>
      <Box component="form" onSubmit={submit} sx={{ display: 'flex', flexDirection: 'column', gap: 1, mb: 2 }}>
        <TextField
          id={inputId}
          label="New note"
          value={body}
          onChange={(event) => setBody(event.target.value)}
          multiline
          minRows={2}
          error={Boolean(problem)}
          helperText={problem ?? `Seen by staff only; at most ${NOTE_MAX_LENGTH} characters.`}
          slotProps={{ htmlInput: { maxLength: NOTE_MAX_LENGTH + 200 } }}
        />
        <Box>
          <Button type="submit" variant="outlined" disabled={add.isPending}>
            Add note
          </Button>
        </Box>
      </Box>
      {notes.length === 0 ? (
        <Typography color="text.secondary">No notes yet.</Typography>
      ) : (
        <List dense aria-label="Notes" disablePadding>
          {notes.map((note) => (
            <ListItem key={note.id} disableGutters divider>
              <ListItemText
                primary={note.body}
                secondary={`${note.authorName ?? note.authorEmail}, ${new Date(note.createdAt).toLocaleString()}`}
                slotProps={{ primary: { sx: { whiteSpace: 'pre-wrap' } } }}
              />
            </ListItem>
          ))}
        </List>
      )}
    </>
  );
}
