import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useBackOffice } from '../../permissions';

/** A note, or a JSON object when the step's output needs fields; the note alone becomes `{ "note": ... }`. */
function parseResolution(note: string, json: string): { resolution?: Record<string, unknown>; error?: string } {
  if (!json.trim()) return note.trim() ? { resolution: { note: note.trim() } } : { error: 'Write what you did.' };
  try {
    const parsed: unknown = JSON.parse(json);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'The JSON must be an object.' };
    return { resolution: { ...(note.trim() ? { note: note.trim() } : {}), ...(parsed as Record<string, unknown>) } };
  } catch {
    return { error: 'That is not valid JSON.' };
  }
}

export function CompleteTaskButton() {
  const task = useRecordContext<{ id: string; title: string; instructions: string; status: string }>();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [json, setJson] = useState('');
  const parsed = parseResolution(note, json);
  const complete = useMutation({
    mutationFn: () => backOffice.completeTask(task?.id ?? '', parsed.resolution ?? {}),
    onSuccess: () => {
      setOpen(false);
      notify('Task done; the record continues', { type: 'success' });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (!task || task.status === 'done' || task.status === 'cancelled') return null;
  return (
    <>
      <Button
        size="small"
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
      >
        Complete
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby={`complete-${task.id}`}
        fullWidth
        onClick={(e) => e.stopPropagation()}
      >
        <DialogTitle id={`complete-${task.id}`}>Complete: {task.title}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ whiteSpace: 'pre-wrap' }}>{task.instructions}</DialogContentText>
          <TextField
            fullWidth
            multiline
            minRows={2}
            margin="normal"
            label="What was done (note)"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <TextField
            fullWidth
            multiline
            minRows={2}
            margin="normal"
            label="Resolution fields (JSON object, optional)"
            value={json}
            onChange={(e) => setJson(e.target.value)}
            error={Boolean(json.trim() && parsed.error)}
            helperText={json.trim() && parsed.error ? parsed.error : 'Becomes the step output, beside the note.'}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Not yet</Button>
          <Button
            variant="contained"
            disabled={Boolean(parsed.error) || complete.isPending}
            onClick={() => complete.mutate()}
          >
            Mark done
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
