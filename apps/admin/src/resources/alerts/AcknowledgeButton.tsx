import { Button } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useBackOffice } from '../../permissions';

export function AcknowledgeButton() {
  const alert = useRecordContext<{ id: string; acknowledgedAt: Date | null; type: string }>();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const acknowledge = useMutation({
    mutationFn: () => backOffice.acknowledgeAlert(alert?.id ?? ''),
    onSuccess: () => refresh(),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (!alert || alert.acknowledgedAt) return null;
  return (
    <Button
      size="small"
      disabled={acknowledge.isPending}
      onClick={() => acknowledge.mutate()}
      aria-label={`Acknowledge ${alert.type} alert`}
    >
      Acknowledge
    </Button>
  );
}
