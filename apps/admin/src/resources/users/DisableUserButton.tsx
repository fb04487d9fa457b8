import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, useRecordContext, useRefresh } from 'react-admin';
import { api } from '../../api';

/** Disables a staff account (no sign-in, every session ended), or enables it again, after saying so. */
export function DisableUserButton() {
  const user = useRecordContext<{ id: string; email: string; disabledAt: Date | null }>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const disabling = !user?.disabledAt;
  const change = useMutation({
    mutationFn: () => api.users.setDisabled.mutate({ userId: String(user?.id), disabled: disabling }),
    onSuccess: () => {
      notify(disabling ? `${user?.email} is disabled and signed out.` : `${user?.email} can sign in again.`, {
        type: 'info',
      });
      setOpen(false);
      refresh();
    },
    onError: (error) => notify(error.message, { type: 'error' }),
  });
  if (!user) return null;
  const action = disabling ? 'Disable account' : 'Enable account';
  return (
    <>
      <Button
        color={disabling ? 'error' : 'primary'}
        onClick={() => {
          change.reset();
          setOpen(true);
        }}
      >
        {action}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="disable-user-title">
        <DialogTitle id="disable-user-title">
          {action}: {user.email}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {disabling
              ? 'They are signed out everywhere at once and cannot sign in or reset their password until an admin enables the account again.'
              : 'They can sign in again with their password, or reset it by email.'}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Keep as it is</Button>
          <Button color={disabling ? 'error' : 'primary'} disabled={change.isPending} onClick={() => change.mutate()}>
            {action}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
