import { resubmitPrivateSmtpSchema } from '@handover/contracts/drivers/private-smtp';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '../../components/Field';
import { describeProblem } from '../../errors';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import type { FieldErrors } from '../../forms/useZodForm';
import { type RouterOutputs, useTRPC } from '../../trpc';
import { CredentialFields } from './CredentialFields';
import { type Credentials, emptyCredentials, type Values } from './values';

type OrderView = RouterOutputs['mailboxes']['forOrder'];

/**
 * Seed 001 step 5.4: the order waits as a draft because the registrar refused. The customer
 * fixes it there (an allow-list, say), changes the credentials or a domain here if needed, and
 * resubmits; the order carries on where it stopped.
 */
export function ResubmitForm({ view, onResubmitted }: { view: OrderView; onResubmitted(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const drafts = view.domains.filter((d) => d.status === 'draft');
  const [platform, setPlatform] = useState<Values['hostingPlatform']>(view.credentials?.platform ?? '');
  const [credentials, setCredentials] = useState<Credentials>(emptyCredentials());
  const [domains, setDomains] = useState<Record<string, string>>(
    Object.fromEntries(drafts.map((d) => [d.recordId, d.domain])),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const resubmit = useMutation(trpc.mailboxes.resubmit.mutationOptions());

  const newCredentials = Object.entries(credentials).some(([, value]) => value !== '' && value !== false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const input = {
      orderId: view.orderId,
      ...(newCredentials && platform ? { hostingPlatform: platform, credentials } : {}),
      domains: Object.fromEntries(
        Object.entries(domains).filter(
          ([id, domain]) => domain.trim() !== drafts.find((d) => d.recordId === id)?.domain,
        ),
      ),
    };
    const checked = resubmitPrivateSmtpSchema.safeParse(input);
    if (!checked.success) {
      setErrors(fieldErrorsOf(checked.error));
      return;
    }
    setErrors({});
    try {
      await resubmit.mutateAsync(input);
      setMessage('Resubmitted: we carry on where we stopped. This page updates by itself.');
      setCredentials(emptyCredentials());
      onResubmitted();
      await queryClient.invalidateQueries({ queryKey: trpc.mailboxes.forOrder.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.orders.byCode.pathKey() });
    } catch (error) {
      const problem = describeProblem(error);
      setErrors(problem.fieldErrors);
      setMessage(problem.message);
    }
  };

  const hint = view.credentials?.hint;
  return (
    <section className="resubmit notice" aria-labelledby="resubmit-heading">
      <h4 id="resubmit-heading">Fix and resubmit</h4>
      <ul>
        {drafts.map((d) => (
          <li key={d.recordId}>{d.statusReason ?? `${d.domain} needs your attention.`}</li>
        ))}
      </ul>
      <form noValidate onSubmit={submit}>
        <p className="hint">
          Fixed it at your registrar already? Just resubmit. Otherwise enter new credentials
          {hint ? ` (the saved key is ${hint.apiUser ? `for ${hint.apiUser}, ` : ''}ending ${hint.keyEnding})` : ''}, or
          correct a domain.
        </p>
        <CredentialFields
          platform={platform}
          credentials={credentials}
          onChange={(next, values) => {
            setPlatform(next);
            setCredentials(values);
          }}
          errors={errors}
          facts={{}}
          optional
        />
        {drafts.map((d) => (
          <Field
            key={d.recordId}
            label={`Domain instead of ${d.domain}`}
            value={domains[d.recordId] ?? ''}
            onChange={(value) => setDomains({ ...domains, [d.recordId]: value })}
            errors={errors[`domains.${d.recordId}`]}
          />
        ))}
        <button type="submit" disabled={resubmit.isPending}>
          {resubmit.isPending ? 'Resubmitting…' : 'Resubmit'}
        </button>
        <p role="status" className={resubmit.isError ? 'field-error' : 'muted'}>
          {message ?? ''}
        </p>
      </form>
    </section>
  );
}
