import { Button } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Confirm, useNotify, useRefresh } from 'react-admin';
import { useBackOffice } from '../../permissions';

/** Runs the record again from `step`: that step and the ones after it are redone. */
export function RerunFromStepButton({ recordId, step }: { recordId: string; step: string }) {
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
        content="This step and every step after it run again, with new idempotency keys, so the provider does them anew."
        confirm="Re-run"
        onConfirm={() => rerun.mutate()}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}
