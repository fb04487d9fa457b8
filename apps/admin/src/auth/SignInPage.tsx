import { Box, Button, Link, TextField } from '@mui/material';
import { type FormEvent, useState } from 'react';
import { Login, useLogin, useNotify } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';

/** Staff sign in with their email; a forgotten password is reset by an emailed link. */
export function SignInPage() {
  return (
    <Login>
      <SignInForm />
    </Login>
  );
}

function SignInForm() {
  const login = useLogin();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      await login({ email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') });
    } catch (error) {
      notify(error instanceof Error ? error.message : 'Signing in failed. Try again.', { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="form" onSubmit={submit} sx={{ display: 'flex', flexDirection: 'column', gap: 2, p: 2, width: 300 }}>
      <TextField name="email" type="email" label="Email" autoComplete="username" required autoFocus />
      <TextField name="password" type="password" label="Password" autoComplete="current-password" required />
      <Button type="submit" variant="contained" disabled={busy}>
        Sign in
      </Button>
      <Link component={RouterLink} to="/forgot-password" variant="body2">
        Forgot your password?
      </Link>
    </Box>
  );
}
