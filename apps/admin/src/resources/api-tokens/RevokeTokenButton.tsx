import { Button } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useBackOffice } from '../../permissions';

export function RevokeTokenButton() {
  const token = useRecordContext<{ id: string; name: string; state: string }>();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const revoke = useMutation({
    mutationFn: () => backOffice.revokeToken(token?.id ?? ''),
    onSuccess: () => {
      notify(`Token "${token?.name}" revoked: its next call is refused`);
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (token?.state !== 'active') return null;
  return (
    <Button
      size="small"
      color="error"
      disabled={revoke.isPending}
      onClick={() => revoke.mutate()}
      aria-label={`Revoke ${token.name}`}
    >
      Revoke
    </Button>
  );
}
