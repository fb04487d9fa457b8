import { Button } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useNotify, useRecordContext, useRefresh } from 'react-admin';
import { may, useBackOffice, useRole } from '../../permissions';

/**
 * Seed 001's manual retry of a failed transfer or mailbox batch: its delivery is retried from
 * the step that failed. Offered while that delivery is failed, to ops and admins.
 */
export function RetryWorkButton({ kind }: { kind: 'transfer' | 'automation' }) {
  const row = useRecordContext<{ id: string; recordStatus: string; domain: string }>();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const role = useRole();
  const retry = useMutation({
    mutationFn: () =>
      backOffice.retryMailboxWork(
        kind === 'transfer' ? { transferId: row?.id ?? '' } : { automationId: row?.id ?? '' },
      ),
    onSuccess: (result) => {
      notify(result.ok ? `${row?.domain}: ${result.message}` : result.message, {
        type: result.ok ? 'success' : 'warning',
      });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (row?.recordStatus !== 'failed' || !may.operate(role)) return null;
  return (
    <Button
      size="small"
      disabled={retry.isPending}
      aria-label={`Retry ${row.domain}`}
      onClick={(event) => {
        event.stopPropagation();
        retry.mutate();
      }}
    >
      Retry
    </Button>
  );
}
