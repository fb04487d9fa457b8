import CancelIcon from '@mui/icons-material/Cancel';
import {
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Button as MuiButton,
  TextField,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, useListContext, useNotify, useRefresh, useUnselectAll } from 'react-admin';
import { useBackOffice } from '../../permissions';
import { type OperationResult, OperationResults } from './OperationResults';

/** Cancels the selected undelivered records with a reason, after a confirmation; shows a result per record. */
export function BulkCancelButton() {
  const { selectedIds } = useListContext();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('fulfillment-records');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [results, setResults] = useState<OperationResult[] | null>(null);
  const cancel = useMutation({
    mutationFn: () => backOffice.cancelRecords(selectedIds.map(String), reason),
    onSuccess: (done) => {
      setOpen(false);
      setReason('');
      setResults(done);
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  return (
    <>
      <Button label="Cancel" onClick={() => setOpen(true)} color="error">
        <CancelIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="cancel-records-title">
        <DialogTitle id="cancel-records-title">Cancel {selectedIds.length} record(s)?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            They stop, and what was already done is undone (inventory released, provider objects deleted). Delivered
            records cannot be cancelled: refund the order instead.
          </DialogContentText>
          <TextField
            autoFocus
            fullWidth
            margin="normal"
            label="Reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            helperText="Kept in the activity log."
          />
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>Keep them</MuiButton>
          <MuiButton
            color="error"
            disabled={reason.trim().length < 3 || cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            Cancel records
          </MuiButton>
        </DialogActions>
      </Dialog>
      <OperationResults
        title="Cancel"
        results={results}
        onClose={() => {
          // The selection is cleared only now: clearing it removes this toolbar, and the dialog with it.
          setResults(null);
          unselectAll();
          refresh();
        }}
      />
    </>
  );
}
