import { Button, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, useRecordContext } from 'react-admin';
import { useBackOffice } from '../../permissions';

/** Admins only: shows one account's password once, on request; the server logs who asked. */
export function RevealSecretButton() {
  const item = useRecordContext<{ id: string }>();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const [password, setPassword] = useState<string | null>(null);
  const reveal = useMutation({
    mutationFn: () => backOffice.revealSecret(item?.id ?? ''),
    onSuccess: (shown) => setPassword(shown.password),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (!item) return null;
  if (password !== null) {
    return (
      <Typography component="span" sx={{ fontFamily: 'monospace' }} aria-label="Revealed password">
        {password}
      </Typography>
    );
  }
  return (
    <Button size="small" disabled={reveal.isPending} onClick={() => reveal.mutate()}>
      Reveal password
    </Button>
  );
}
