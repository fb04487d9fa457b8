import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  TextField,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { HttpError, useNotify } from 'react-admin';
import { useBackOffice } from '../../permissions';
import { staffRoleChoices } from './roles';

/** The field's own message when the server refused the invite (an address taken, say), else the error's. */
function refusal(error: Error): string {
  const errors = error instanceof HttpError ? (error.body as { errors?: Record<string, string> } | null)?.errors : null;
  return errors?.email ?? errors?.role ?? error.message;
}

/** An admin invites a staff member: their email and role; Handover emails them a link to join. */
export function InviteStaffButton() {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('ops');
  const [problem, setProblem] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: () => backOffice.inviteStaff({ email, role: role as 'ops' | 'finance' | 'admin' }),
    onSuccess: (sent) => {
      notify(`Invite sent to ${sent.email}.`, { type: 'info' });
      setOpen(false);
      void queryClient.invalidateQueries({ queryKey: ['users', 'invites'] });
    },
    onError: (error: Error) => setProblem(refusal(error)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <>
      <Button
        onClick={() => {
          setEmail('');
          setRole('ops');
          setProblem(null);
          setOpen(true);
        }}
      >
        Invite
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="invite-staff-title">
        <form onSubmit={submit}>
          <DialogTitle id="invite-staff-title">Invite a staff member</DialogTitle>
          <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            <DialogContentText>
              They get an email with a link that works once, for 72 hours: they choose a password there and arrive
              signed in with this role.
            </DialogContentText>
            <TextField
              label="Email"
              type="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              required
              autoFocus
            />
            <TextField select label="Role" value={role} onChange={(event) => setRole(event.target.value)}>
              {staffRoleChoices.map((choice) => (
                <MenuItem key={choice.id} value={choice.id}>
                  {choice.name}
                </MenuItem>
              ))}
            </TextField>
            {problem && <Alert severity="error">{problem}</Alert>}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="contained" disabled={invite.isPending}>
              Send invite
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
