import { verifyEmailInput } from '@handover/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { useResetSession } from '../account/useSession';
import { NewPasswordField } from '../components/AccountFields';
import { AddressFields, type AddressValues, emptyAddress } from '../components/AddressFields';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { useZodForm } from '../forms/useZodForm';
import { useNavigate } from '../navigation';
import { useTRPC } from '../trpc';

/** The page a sign-up link opens: confirming the address means choosing the account's password here. */
export function VerifyEmailPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const reset = useResetSession();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const form = useZodForm(verifyEmailInput, {
    token,
    password: '',
    name: undefined,
    phone: undefined,
    company: undefined,
    customerNumber: undefined,
    dateOfBirth: undefined,
    address: undefined,
  });
  const [address, setAddress] = useState<AddressValues>(emptyAddress);
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions());
  const optional = (key: 'name' | 'phone' | 'company' | 'customerNumber' | 'dateOfBirth') => (value: string) =>
    form.set(key, value || undefined);

  if (!token) {
    return (
      <section className="narrow">
        <h1>Finish your account</h1>
        <ErrorNotice>
          This link is incomplete. Open the link from the email again, or <Link to="/sign-up">ask for a new one</Link>.
        </ErrorNotice>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Finish your account</h1>
      <p>Your address is confirmed once you choose a password. Orders placed with it appear in your account.</p>
      <form
        noValidate
        onSubmit={form.submit(async (data) => {
          await verify.mutateAsync(data);
          await reset();
          navigate('/orders');
        })}
      >
        {form.formError ? (
          <ErrorNotice>
            {form.formError} <Link to="/sign-up">Ask for a new link</Link>.
          </ErrorNotice>
        ) : null}
        <NewPasswordField
          label="Password"
          value={form.values.password}
          onChange={(v) => form.set('password', v)}
          errors={form.errors.password}
        />
        <Field
          label="Name"
          autoComplete="name"
          hint="Optional; how our emails greet you."
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
          {form.submitting ? 'Saving…' : 'Save and sign in'}
        </button>
      </form>
    </section>
  );
}
