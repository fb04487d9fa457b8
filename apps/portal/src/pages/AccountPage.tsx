import { type CustomerProfile, changePasswordInput, updateProfileInput } from '@handover/contracts';
import { formatNationalPhone } from '@handover/contracts/phone';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { useResetSession, useSession } from '../account/useSession';
import { AddressFields, type AddressValues, emptyAddress } from '../components/AddressFields';
import { Field } from '../components/Field';
import { ErrorNotice, Loading } from '../components/Notice';
import { ApiTokens } from '../developers/ApiTokens';
import { describeProblem } from '../errors';
import { fieldErrorsOf } from '../forms/fieldErrors';
import { type FieldErrors, useZodForm } from '../forms/useZodForm';
import { useNavigate } from '../navigation';
import { useTRPC } from '../trpc';

/** The profile as the form holds it: every field a string, the address as its fields. */
interface ProfileValues {
  name: string;
  phone: string;
  company: string;
  customerNumber: string;
  dateOfBirth: string;
  address: AddressValues;
}

const valuesOf = (profile: CustomerProfile): ProfileValues => ({
  name: profile.name ?? '',
  phone: profile.phone ?? '',
  company: profile.company ?? '',
  customerNumber: profile.customerNumber ?? '',
  dateOfBirth: profile.dateOfBirth ?? '',
  address: profile.address ? { ...emptyAddress(), ...profile.address } : emptyAddress(),
});

/** An empty field clears it; an address with nothing typed is no address. */
function inputOf(values: ProfileValues) {
  const text = (value: string) => (value.trim() === '' ? null : value);
  const typedAddress = Object.values(values.address).some((value) => value.trim() !== '');
  return {
    name: text(values.name),
    phone: text(values.phone),
    company: text(values.company),
    customerNumber: text(values.customerNumber),
    dateOfBirth: text(values.dateOfBirth),
    address: typedAddress ? values.address : null,
  };
}

/**
 * The customer's profile: name and phone, and seed 004's company, customer number, date of birth
 * and the address that is both billing and service address. Products that need one of them ask
 * for it here before they can be ordered.
 */
function ProfileForm({ profile, next }: { profile: CustomerProfile; next: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ProfileValues>(() => valuesOf(profile));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const update = useMutation(trpc.auth.updateProfile.mutationOptions());
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof ProfileValues>(key: K, value: ProfileValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setSaved(false);
  };
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const parsed = updateProfileInput.safeParse(inputOf(values));
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    try {
      await update.mutateAsync(parsed.data);
      setErrors({});
      await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.auth.profile.queryKey() });
      setSaved(true);
    } catch (error) {
      const problem = describeProblem(error);
      setErrors(problem.fieldErrors);
      setFormError(problem.message);
    }
  };
  return (
    <form noValidate aria-labelledby="profile-heading" onSubmit={submit}>
      <h2 id="profile-heading">Profile</h2>
      {formError ? <ErrorNotice>{formError}</ErrorNotice> : null}
      {saved ? (
        <p role="status" className="notice notice-ok">
          Saved.
          {next ? (
            <>
              {' '}
              <Link to={next}>Back to your order</Link>
            </>
          ) : null}
        </p>
      ) : null}
      <Field
        label="Name"
        autoComplete="name"
        value={values.name}
        onChange={(v) => set('name', v)}
        errors={errors.name}
      />
      <Field
        label="Phone"
        type="tel"
        autoComplete="tel"
        value={values.phone}
        onChange={(v) => set('phone', v)}
        errors={errors.phone}
      />
      <Field
        label="Company"
        autoComplete="organization"
        value={values.company}
        onChange={(v) => set('company', v)}
        errors={errors.company}
      />
      <Field
        label="Customer number"
        hint="The number on your contract or invoices; some services need it."
        value={values.customerNumber}
        onChange={(v) => set('customerNumber', v)}
        errors={errors.customerNumber}
      />
      <Field
        label="Date of birth"
        type="date"
        autoComplete="bday"
        hint="Some services have an age limit."
        value={values.dateOfBirth}
        onChange={(v) => set('dateOfBirth', v)}
        errors={errors.dateOfBirth}
      />
      <AddressFields
        legend="Address"
        hint="Your billing address, and where services at home are installed."
        value={values.address}
        onChange={(address) => set('address', address)}
        errors={errors}
        prefix="address"
      />
      <button type="submit" disabled={update.isPending}>
        Save profile
      </button>
    </form>
  );
}

/** Texts about orders (seed 002) to the profile's phone: on, or never. */
function TextMessages() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const texts = useQuery(trpc.dataBundles.texts.queryOptions());
  const set = useMutation(
    trpc.dataBundles.setTexts.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.dataBundles.texts.queryKey() }),
    }),
  );
  if (!texts.data) return null;
  const { phoneNumber, texts: on } = texts.data;
  return (
    <section aria-labelledby="texts-heading">
      <h2 id="texts-heading">Text messages</h2>
      <label className="choice">
        <input
          type="checkbox"
          checked={on}
          disabled={set.isPending}
          onChange={(event) => set.mutate({ phoneNumber, texts: event.target.checked })}
        />
        Text {formatNationalPhone(phoneNumber)} about my orders
      </label>
      {set.isError ? <p className="field-error">{set.error.message}</p> : null}
      <p className="muted">
        Buying data for others? <Link to="/customers">Your customers</Link> lists their numbers.
      </p>
    </section>
  );
}

function PasswordForm() {
  const trpc = useTRPC();
  const form = useZodForm(changePasswordInput, { currentPassword: '', newPassword: '' });
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      noValidate
      aria-labelledby="password-heading"
      onSubmit={form.submit(async (data) => {
        setDone((await change.mutateAsync(data)).message);
        form.set('currentPassword', '');
        form.set('newPassword', '');
      })}
    >
      <h2 id="password-heading">Password</h2>
      {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
      <Field
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={form.values.currentPassword}
        onChange={(v) => form.set('currentPassword', v)}
        errors={form.errors.currentPassword}
      />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        value={form.values.newPassword}
        onChange={(v) => form.set('newPassword', v)}
        errors={form.errors.newPassword}
      />
      <button type="submit" disabled={form.submitting}>
        Change password
      </button>
    </form>
  );
}

export function AccountPage() {
  const { user } = useSession();
  const trpc = useTRPC();
  const profile = useQuery({ ...trpc.auth.profile.queryOptions(), enabled: Boolean(user) });
  const [params] = useSearchParams();
  const next = params.get('next');
  const reset = useResetSession();
  const navigate = useNavigate();
  const everywhere = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({
      onSuccess: async () => {
        await reset();
        navigate('/sign-in');
      },
    }),
  );
  if (!user) return null;
  return (
    <section className="narrow">
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{user.email}</strong>
      </p>
      {profile.data ? (
        <ProfileForm profile={profile.data} next={next?.startsWith('/') && !next.startsWith('//') ? next : null} />
      ) : (
        <Loading what="your profile" />
      )}
      <TextMessages />
      <PasswordForm />
      <ApiTokens role={user.role} />
      <h2>Webhooks</h2>
      <p>
        Let your systems hear about your orders as they happen:{' '}
        <Link to="/account/webhooks">your webhook endpoints</Link>.
      </p>
      <h2>Devices</h2>
      <p>Signed in on a computer you no longer use? End every session, this one included.</p>
      <button
        type="button"
        className="button-secondary"
        onClick={() => everywhere.mutate()}
        disabled={everywhere.isPending}
      >
        Sign out everywhere
      </button>
    </section>
  );
}
