import { changePasswordInput, updateProfileInput } from '@handover/contracts';
import { formatNationalPhone } from '@handover/contracts/phone';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useResetSession, useSession } from '../account/useSession';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { ApiTokens } from '../developers/ApiTokens';
import { useZodForm } from '../forms/useZodForm';
import { useNavigate } from '../navigation';
import { useTRPC } from '../trpc';

function ProfileForm({ name, phone }: { name: string | null; phone: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(updateProfileInput, { name, phone });
  const update = useMutation(trpc.auth.updateProfile.mutationOptions());
  const [saved, setSaved] = useState(false);
  return (
    <form
      noValidate
      aria-labelledby="profile-heading"
      onSubmit={form.submit(async (data) => {
        setSaved(false);
        await update.mutateAsync(data);
        await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        setSaved(true);
      })}
    >
      <h2 id="profile-heading">Profile</h2>
      {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
      {saved ? (
        <p role="status" className="notice notice-ok">
          Saved.
        </p>
      ) : null}
      <Field
        label="Name"
        autoComplete="name"
        value={form.values.name ?? ''}
        onChange={(v) => form.set('name', v || null)}
        errors={form.errors.name}
      />
      <Field
        label="Phone"
        type="tel"
        autoComplete="tel"
        value={form.values.phone ?? ''}
        onChange={(v) => form.set('phone', v || null)}
        errors={form.errors.phone}
      />
      <button type="submit" disabled={form.submitting}>
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
      <ProfileForm name={user.name} phone={user.phone} />
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
