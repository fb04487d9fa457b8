import { Alert, Box, Button, TextField, Typography } from '@mui/material';
import { TRPCClientError } from '@trpc/client';
import { type FormEvent, useState } from 'react';
import { Login } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api';

/** The API's message, or the first of its field errors (a short password, say). */
function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const fieldErrors = (error.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors;
    const first = fieldErrors ? Object.values(fieldErrors).flat()[0] : undefined;
    return first ?? error.message;
  }
  return 'Something went wrong. Try again.';
}

/** A staff invite's link: the invitee chooses a password and lands in the back office, signed in. */
export function AcceptInvitePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    setBusy(true);
    try {
      await api.auth.acceptInvite.mutate({
        token,
        password: String(form.get('password') ?? ''),
        ...(name ? { name } : {}),
      });
      // Signed in now (the server set the cookie): load the back office afresh with the new role.
      window.location.replace(window.location.pathname);
    } catch (error) {
      setProblem(messageOf(error));
      setBusy(false);
    }
  };
  return (
    <Login>
      <Box
        component="form"
        onSubmit={submit}
        sx={{ display: 'flex', flexDirection: 'column', gap: 2, p: 2, width: 300 }}
      >
        <Typography component="h1" variant="h6">
          Join the Handover back office
        </Typography>
        <Typography variant="body2">Choose the password you will sign in with.</Typography>
        <TextField name="name" label="Your name (optional)" autoComplete="name" />
        <TextField
          name="password"
          type="password"
          label="Password"
          autoComplete="new-password"
          helperText="At least 10 characters."
          required
          autoFocus
        />
        {problem && <Alert severity="error">{problem}</Alert>}
        <Button type="submit" variant="contained" disabled={busy || !token}>
          Join and sign in
        </Button>
      </Box>
    </Login>
  );
}
