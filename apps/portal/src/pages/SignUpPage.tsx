import { signUpFormSchema } from '@handover/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { EmailField } from '../components/AccountFields';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { useZodForm } from '../forms/useZodForm';
import { useTRPC } from '../trpc';

/**
 * Sign-up asks only for the address: the link emailed there finishes the account (password,
 * profile), so no one opens an account with an address that is not theirs.
 */
export function SignUpPage() {
  const trpc = useTRPC();
  const form = useZodForm(signUpFormSchema, { email: '', confirmEmail: '' });
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [sent, setSent] = useState<{ email: string; message: string } | null>(null);

  if (sent) {
    return (
      <section className="narrow">
        <h1>Check your inbox</h1>
        <p role="status" className="notice notice-ok">
          {sent.message}
        </p>
        <p>
          The link works once, for a day. Nothing arrived? Look in your spam folder, then{' '}
          <button
            type="button"
            className="link-button"
            disabled={signUp.isPending}
            onClick={() => signUp.mutateAsync({ email: sent.email }).then((answer) => setSent({ ...sent, ...answer }))}
          >
            send the link again
          </button>
          .
        </p>
        {signUp.error ? <ErrorNotice>{signUp.error.message}</ErrorNotice> : null}
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Create your account</h1>
      <p>Follow every order you place, and find what you bought in one place.</p>
      <form
        noValidate
        onSubmit={form.submit(async (data) => {
          const answer = await signUp.mutateAsync(data);
          setSent({ email: data.email, message: answer.message });
        })}
      >
        {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
        <EmailField value={form.values.email} onChange={(v) => form.set('email', v)} errors={form.errors.email} />
        <Field
          label="Confirm email"
          type="email"
          autoComplete="email"
          required
          value={form.values.confirmEmail}
          onChange={(v) => form.set('confirmEmail', v)}
          errors={form.errors.confirmEmail}
        />
        <p className="hint">We email you a link to confirm the address; you choose your password there.</p>
        <button type="submit" disabled={form.submitting}>
          {form.submitting ? 'Sending…' : 'Send me the link'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
