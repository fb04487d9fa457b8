import { requestPasswordResetInput } from '@handover/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { EmailField } from '../components/AccountFields';
import { ErrorNotice } from '../components/Notice';
import { useZodForm } from '../forms/useZodForm';
import { useTRPC } from '../trpc';

export function ForgotPasswordPage() {
  const trpc = useTRPC();
  const form = useZodForm(requestPasswordResetInput, { email: '' });
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const [sent, setSent] = useState<string | null>(null);

  return (
    <section className="narrow">
      <h1>Reset your password</h1>
      {sent ? (
        <p role="status" className="notice notice-ok">
          {sent}
        </p>
      ) : (
        <form
          noValidate
          onSubmit={form.submit(async (data) => {
            setSent((await request.mutateAsync(data)).message);
          })}
        >
          <p>We will email you a link to choose a new password. It works once, for a short time.</p>
          {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
          <EmailField value={form.values.email} onChange={(v) => form.set('email', v)} errors={form.errors.email} />
          <button type="submit" disabled={form.submitting}>
            Send the link
          </button>
        </form>
      )}
    </section>
  );
}
