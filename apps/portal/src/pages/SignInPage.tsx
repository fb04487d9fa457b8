import { signInInput } from '@handover/contracts';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'wouter';
import { useResetSession } from '../account/useSession';
import { EmailField } from '../components/AccountFields';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { useZodForm } from '../forms/useZodForm';
import { useNavigate } from '../navigation';
import { useTRPC } from '../trpc';

/** Only same-site paths: a `next` link must not send a customer elsewhere. */
export function safeNext(next: string | null, fallback = '/orders'): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

export function SignInPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const reset = useResetSession();
  const form = useZodForm(signInInput, { email: '', password: '' });
  const signIn = useMutation(trpc.auth.signIn.mutationOptions());

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <form
        noValidate
        onSubmit={form.submit(async (data) => {
          await signIn.mutateAsync(data);
          await reset();
          navigate(safeNext(params.get('next')));
        })}
      >
        {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
        <EmailField value={form.values.email} onChange={(v) => form.set('email', v)} errors={form.errors.email} />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          value={form.values.password}
          onChange={(v) => form.set('password', v)}
          errors={form.errors.password}
          required
        />
        <button type="submit" disabled={form.submitting}>
          {form.submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link> · New here?{' '}
        <Link to="/sign-up">Create an account</Link>
      </p>
    </section>
  );
}
