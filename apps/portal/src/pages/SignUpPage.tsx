import { signUpInput } from '@handover/contracts';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'wouter';
import { useResetSession } from '../account/useSession';
import { EmailField, NewPasswordField } from '../components/AccountFields';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { useZodForm } from '../forms/useZodForm';
import { useNavigate } from '../navigation';
import { useTRPC } from '../trpc';
import { safeNext } from './SignInPage';

export function SignUpPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const reset = useResetSession();
  const form = useZodForm(signUpInput, { email: '', password: '', name: undefined, phone: undefined });
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());

  return (
    <section className="narrow">
      <h1>Create your account</h1>
      <p>Follow every order you place, and find what you bought in one place.</p>
      <form
        noValidate
        onSubmit={form.submit(async (data) => {
          await signUp.mutateAsync(data);
          await reset();
          navigate(safeNext(params.get('next'), '/'));
        })}
      >
        {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
        <EmailField value={form.values.email} onChange={(v) => form.set('email', v)} errors={form.errors.email} />
        <NewPasswordField
          label="Password"
          value={form.values.password}
          onChange={(v) => form.set('password', v)}
          errors={form.errors.password}
        />
        <Field
          label="Name"
          autoComplete="name"
          value={form.values.name ?? ''}
          onChange={(v) => form.set('name', v || undefined)}
          errors={form.errors.name}
        />
        <Field
          label="Phone"
          type="tel"
          autoComplete="tel"
          hint="Optional; for delivery messages by SMS."
          value={form.values.phone ?? ''}
          onChange={(v) => form.set('phone', v || undefined)}
          errors={form.errors.phone}
        />
        <button type="submit" disabled={form.submitting}>
          {form.submitting ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
