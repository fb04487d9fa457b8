import { resetPasswordInput } from '@handover/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { NewPasswordField } from '../components/AccountFields';
import { ErrorNotice } from '../components/Notice';
import { useZodForm } from '../forms/useZodForm';
import { useTRPC } from '../trpc';

export function ResetPasswordPage() {
  const trpc = useTRPC();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const form = useZodForm(resetPasswordInput, { token, password: '' });
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  const [done, setDone] = useState<string | null>(null);

  if (!token) {
    return (
      <section className="narrow">
        <h1>Choose a new password</h1>
        <ErrorNotice>
          This link is incomplete. Open the link from the email again, or{' '}
          <Link to="/forgot-password">ask for a new one</Link>.
        </ErrorNotice>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Choose a new password</h1>
      {done ? (
        <p role="status" className="notice notice-ok">
          {done} <Link to="/sign-in">Sign in</Link>
        </p>
      ) : (
        <form
          noValidate
          onSubmit={form.submit(async (data) => {
            setDone((await reset.mutateAsync(data)).message);
          })}
        >
          {form.formError ? (
            <ErrorNotice>
              {form.formError} <Link to="/forgot-password">Ask for a new link</Link>.
            </ErrorNotice>
          ) : null}
          <NewPasswordField
            value={form.values.password}
            onChange={(v) => form.set('password', v)}
            errors={form.errors.password}
          />
          <button type="submit" disabled={form.submitting}>
            Save the new password
          </button>
        </form>
      )}
    </section>
  );
}
