import { Alert, Box, Button, Link, TextField, Typography } from '@mui/material';
import { TRPCClientError } from '@trpc/client';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Login } from 'react-admin';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { api } from '../api';

type Outcome = { kind: 'done' | 'error'; message: string } | null;

/** The API's message, or the first of its field errors (a weak password, say). */
function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const fieldErrors = (error.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors;
    const first = fieldErrors ? Object.values(fieldErrors).flat()[0] : undefined;
    return first ?? error.message;
  }
  return 'Something went wrong. Try again.';
}

function ResetFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Login>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, p: 2, width: 300 }}>
        <Typography component="h1" variant="h6">
          {title}
        </Typography>
        {children}
        <Link component={RouterLink} to="/login" variant="body2">
          Back to sign in
        </Link>
      </Box>
    </Login>
  );
}

/** Asks for a reset link by email: the answer is the same whether or not the email has an account. */
export function ForgotPasswordPage() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '');
    setBusy(true);
    try {
      setOutcome({ kind: 'done', message: (await api.auth.requestPasswordReset.mutate({ email })).message });
    } catch (error) {
      setOutcome({ kind: 'error', message: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <ResetFrame title="Reset your password">
      {outcome?.kind === 'done' ? (
        <Alert severity="success">{outcome.message}</Alert>
      ) : (
        <Box component="form" onSubmit={submit} sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <Typography variant="body2">We email you a link to choose a new password.</Typography>
          <TextField name="email" type="email" label="Email" autoComplete="username" required autoFocus />
          {outcome?.kind === 'error' && <Alert severity="error">{outcome.message}</Alert>}
          <Button type="submit" variant="contained" disabled={busy}>
            Email me a link
          </Button>
        </Box>
      )}
    </ResetFrame>
  );
}

/** The emailed link's page: a new password, then sign in with it. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    setBusy(true);
    try {
      setOutcome({ kind: 'done', message: (await api.auth.resetPassword.mutate({ token, password })).message });
    } catch (error) {
      setOutcome({ kind: 'error', message: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <ResetFrame title="Choose a new password">
      {outcome?.kind === 'done' ? (
        <Alert severity="success">{outcome.message}</Alert>
      ) : (
        <Box component="form" onSubmit={submit} sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <TextField
            name="password"
            type="password"
            label="New password"
            autoComplete="new-password"
            helperText="At least 10 characters."
            required
            autoFocus
          />
          {outcome?.kind === 'error' && <Alert severity="error">{outcome.message}</Alert>}
          <Button type="submit" variant="contained" disabled={busy || !token}>
            Change password
          </Button>
        </Box>
      )}
    </ResetFrame>
  );
}
