import { Button } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Confirm, useNotify, useRefresh } from 'react-admin';
import { useBackOffice } from '../../permissions';

/**
 * Runs the record again from `step`: that step and the ones after it are redone. Shown only where
 * the server offers it; the confirmation says what it will do (`effect`, from the server).
 */
export function RerunFromStepButton({ recordId, step, effect }: { recordId: string; step: string; effect: string }) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const [confirming, setConfirming] = useState(false);
  const rerun = useMutation({
    mutationFn: () => backOffice.rerunFromStep(recordId, step),
    onSuccess: () => {
      notify(`Queued to run again from ${step}`, { type: 'success' });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => setConfirming(false),
  });
  return (
    <>
      <Button size="small" onClick={() => setConfirming(true)} aria-label={`Re-run from ${step}`}>
        Re-run from here
      </Button>
      <Confirm
        isOpen={confirming}
        loading={rerun.isPending}
        title={`Re-run from ${step}?`}
        content={effect}
        confirm="Re-run"
        onConfirm={() => rerun.mutate()}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}
