import { signUpFormSchema } from '@handover/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { useResetSession } from '../account/useSession';
import { EmailField, NewPasswordField } from '../components/AccountFields';
import { AddressFields, type AddressValues, emptyAddress } from '../components/AddressFields';
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
  const form = useZodForm(signUpFormSchema, {
    email: '',
    confirmEmail: '',
    password: '',
    name: undefined,
    phone: undefined,
    company: undefined,
    customerNumber: undefined,
    dateOfBirth: undefined,
    address: undefined,
  });
  const [address, setAddress] = useState<AddressValues>(emptyAddress);
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const optional = (key: 'name' | 'phone' | 'company' | 'customerNumber' | 'dateOfBirth') => (value: string) =>
    form.set(key, value || undefined);

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
        <Field
          label="Confirm email"
          type="email"
          autoComplete="email"
          required
          value={form.values.confirmEmail}
          onChange={(v) => form.set('confirmEmail', v)}
          errors={form.errors.confirmEmail}
        />
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
          onChange={optional('name')}
          errors={form.errors.name}
        />
        <Field
          label="Phone"
          type="tel"
          autoComplete="tel"
          hint="Optional; for delivery messages by SMS."
          value={form.values.phone ?? ''}
          onChange={optional('phone')}
          errors={form.errors.phone}
        />
        <details>
          <summary>More about you (optional; some services need these)</summary>
          <Field
            label="Company"
            autoComplete="organization"
            value={form.values.company ?? ''}
            onChange={optional('company')}
            errors={form.errors.company}
          />
          <Field
            label="Customer number"
            hint="The number on your contract or invoices, if you have one."
            value={form.values.customerNumber ?? ''}
            onChange={optional('customerNumber')}
            errors={form.errors.customerNumber}
          />
          <Field
            label="Date of birth"
            type="date"
            autoComplete="bday"
            value={form.values.dateOfBirth ?? ''}
            onChange={optional('dateOfBirth')}
            errors={form.errors.dateOfBirth}
          />
          <AddressFields
            legend="Address"
            hint="Your billing address, and where services at home are installed."
            value={address}
            onChange={(next) => {
              setAddress(next);
              const typed = Object.values(next).some((value) => value.trim() !== '');
              form.set('address', typed ? next : undefined);
            }}
            errors={form.errors}
            prefix="address"
          />
        </details>
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
