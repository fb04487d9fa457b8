import ReplayIcon from '@mui/icons-material/Replay';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Confirm, useListContext, useNotify, useRefresh, useUnselectAll } from 'react-admin';
import { useBackOffice } from '../../permissions';
import { type OperationResult, OperationResults } from './OperationResults';

/** Puts the selected failed records back in the queue, after a confirmation; shows a result per record. */
export function BulkRetryButton() {
  const { selectedIds, resource } = useListContext();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  // Fulfillment records, or the data orders (records too) that reuse this button.
  const unselectAll = useUnselectAll(resource);
  const [confirming, setConfirming] = useState(false);
  const [results, setResults] = useState<OperationResult[] | null>(null);
  const retry = useMutation({
    mutationFn: () => backOffice.retryRecords(selectedIds.map(String)),
    onSuccess: (done) => {
      setResults(done);
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => setConfirming(false),
  });
  return (
    <>
      <Button label="Retry" onClick={() => setConfirming(true)} disabled={retry.isPending}>
        <ReplayIcon />
      </Button>
      <Confirm
        isOpen={confirming}
        loading={retry.isPending}
        title={`Retry ${selectedIds.length} record(s)?`}
        content="Failed records go back in the queue and run again from the step that failed. Records that have not failed are left as they are."
        confirm="Retry"
        onConfirm={() => retry.mutate()}
        onClose={() => setConfirming(false)}
      />
      <OperationResults
        title="Retry"
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
