import {
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Button as MuiButton,
  Radio,
  RadioGroup,
  Stack,
  TextField,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useBackOffice } from '../../permissions';
import type { QuarantineRow } from './QuarantineList';

type Decision = 'return_to_pool' | 'write_off';

const held = (row: QuarantineRow) =>
  row.quarantined.length === 0
    ? 'nothing is held'
    : row.quarantined.map((item) => `${item.email} (${item.pool})`).join(', ');

/** Ops' two decisions on an unfinished undo, each behind a dialog that says what will happen. */
export function QuarantineActions() {
  const row = useRecordContext<QuarantineRow>();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const [dialog, setDialog] = useState<'retry' | 'resolve' | null>(null);
  const [decision, setDecision] = useState<Decision>('return_to_pool');
  const [note, setNote] = useState('');
  const close = () => {
    setDialog(null);
    setNote('');
    setDecision('return_to_pool');
  };
  const done = (message: string) => {
    close();
    notify(message, { type: 'info' });
    refresh();
  };
  const retry = useMutation({
    mutationFn: () => backOffice.retryQuarantined(row?.recordId ?? ''),
    onSuccess: () => done('The undo is being tried again now'),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const resolve = useMutation({
    mutationFn: () => backOffice.resolveQuarantined({ recordId: row?.recordId ?? '', decision, note }),
    onSuccess: () =>
      done(
        decision === 'return_to_pool'
          ? 'Returned to the pool; the alert is resolved'
          : 'Written off; the alert is resolved',
      ),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (!row || row.status === 'done' || row.status === 'resolved') return null;
  const steps = row.stepsToUndo.length > 0 ? row.stepsToUndo.join(', ') : 'the steps left done';
  return (
    <Stack direction="row" spacing={1}>
      <MuiButton size="small" onClick={() => setDialog('retry')} aria-label={`Retry now: the undo of ${row.orderCode}`}>
        Retry now
      </MuiButton>
      <MuiButton
        size="small"
        color="warning"
        onClick={() => setDialog('resolve')}
        aria-label={`Resolve the undo of ${row.orderCode}`}
      >
        Resolve
      </MuiButton>
      <Dialog open={dialog === 'retry'} onClose={close} aria-labelledby={`retry-${row.id}`}>
        <DialogTitle id={`retry-${row.id}`}>Try the undo of {row.orderCode} again now?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Handover calls the provider again to undo {steps}, last first.
            {row.status === 'abandoned' ? ' Its tries ran out: this starts a fresh round of background retries.' : ''}{' '}
            If every undo succeeds, what the record holds ({held(row)}) goes back to its pool and the alert is resolved;
            if not, it stays quarantined and is tried again later.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={close}>Not now</MuiButton>
          <MuiButton disabled={retry.isPending} onClick={() => retry.mutate()}>
            Retry the undo
          </MuiButton>
        </DialogActions>
      </Dialog>
      <Dialog open={dialog === 'resolve'} onClose={close} aria-labelledby={`resolve-${row.id}`}>
        <DialogTitle id={`resolve-${row.id}`}>Resolve the undo of {row.orderCode} by hand?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Check the provider first. No further undo is tried; the steps left ({steps}) are marked undone and the alert
            is resolved. What happens to {held(row)}:
          </DialogContentText>
          <RadioGroup
            aria-label="Decision"
            value={decision}
            onChange={(event) => setDecision(event.target.value as Decision)}
          >
            <FormControlLabel
              value="return_to_pool"
              control={<Radio />}
              label="Return to the pool: the provider no longer uses it (undone by hand); it can be given to the next customer"
            />
            <FormControlLabel
              value="write_off"
              control={<Radio />}
              label="Write off: it is marked depleted and never given to a customer again"
            />
          </RadioGroup>
          <TextField
            fullWidth
            margin="normal"
            label="What was done at the provider"
            value={note}
            onChange={(event) => setNote(event.target.value)}
            helperText="Required (3 characters or more); kept with the decision and in the activity log."
          />
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={close}>Not now</MuiButton>
          <MuiButton
            color="warning"
            disabled={note.trim().length < 3 || resolve.isPending}
            onClick={() => resolve.mutate()}
          >
            {decision === 'return_to_pool' ? 'Return to the pool' : 'Write off'}
          </MuiButton>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
