import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CopyButton } from '../../components/CopyButton';
import { DomainName } from '../../components/DomainName';
import { describeProblem } from '../../errors';
import { formatTime } from '../../orders/statusText';
import { type RouterOutputs, useTRPC } from '../../trpc';
import type { CustomerOrder, Delivery } from '../types';
import { ResubmitForm } from './ResubmitForm';

type OrderView = RouterOutputs['mailboxes']['forOrder'];
type DomainView = OrderView['domains'][number];

const registrarName = (platform: string) => (platform === 'namecheap' ? 'Namecheap' : 'Spaceship');
const settled = (view: OrderView | undefined) =>
  !!view && view.domains.every((d) => ['completed', 'active', 'failed', 'cancelled'].includes(d.status));

/**
 * Seed 001's customer view of one domain: its transfer and the nameservers to expect, then its
 * mailboxes' logins, a password shown on request. The order's first domain in draft also
 * carries the form to fix the registrar details and resubmit.
 */
export function MailboxDelivery({ delivery, order }: { delivery: Delivery; order: CustomerOrder }) {
  const trpc = useTRPC();
  // Said here, not in the form: once resubmitted, the form goes away with the draft.
  const [resubmitted, setResubmitted] = useState(false);
  const view = useQuery({
    ...trpc.mailboxes.forOrder.queryOptions({ orderId: order.id }),
    refetchInterval: (query) => (settled(query.state.data) ? false : 3_000),
  });
  if (!view.data) return null;
  const domain = view.data.domains.find((d) => d.recordId === delivery.id);
  const firstDraft = view.data.domains.find((d) => d.status === 'draft');
  return (
    <>
      {firstDraft?.recordId === delivery.id ? (
        <ResubmitForm view={view.data} onResubmitted={() => setResubmitted(true)} />
      ) : null}
      {resubmitted && !firstDraft ? (
        <p role="status" className="notice notice-ok">
          Resubmitted: we carry on where we stopped. This page updates by itself.
        </p>
      ) : null}
      {domain?.transfer ? <Transfer domain={domain} orderId={order.id} /> : null}
      {domain && domain.mailboxes.length > 0 ? <Mailboxes domain={domain} /> : null}
    </>
  );
}

function Transfer({ domain, orderId }: { domain: DomainView; orderId: string }) {
  const transfer = domain.transfer;
  if (!transfer) return null;
  const registrar = registrarName(transfer.platform);
  const headingId = `ns-${domain.recordId}`;
  return (
    <section className="nameservers" aria-labelledby={headingId}>
      <h4 id={headingId}>
        Nameservers for <DomainName name={domain.domain} />
      </h4>
      <ul>
        {transfer.nameservers.map((ns) => (
          <li key={ns}>
            <code>{ns}</code> <CopyButton text={ns} label={ns} />
          </li>
        ))}
      </ul>
      {transfer.status === 'completed' ? (
        <p className="notice notice-ok">{domain.domain} points at these nameservers and is active.</p>
      ) : transfer.nameServerStatus === 'updated' ? (
        <>
          <p>
            We set these at {registrar} for you. {domain.domain} becomes active once the change has spread, which can
            take up to 48 hours; its mailboxes are created then.
          </p>
          <p className="muted">
            {transfer.lastCheckedAt ? `Last checked ${formatTime(transfer.lastCheckedAt)}` : 'Not checked yet'}
            {transfer.nextCheckAt ? `; next check around ${formatTime(transfer.nextCheckAt)}` : ''}.
          </p>
          <CheckNow orderId={orderId} />
        </>
      ) : transfer.nameServerStatus === 'failed' ? (
        <p className="notice notice-error">
          {registrar} did not accept the change{transfer.problem ? `: ${transfer.problem}` : ''}.
        </p>
      ) : (
        <p className="muted">Setting these at {registrar}…</p>
      )}
    </section>
  );
}

function CheckNow({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const check = useMutation(
    trpc.mailboxes.checkTransfers.mutationOptions({
      onSuccess: async () => {
        setMessage('Checking now; this page updates by itself.');
        await queryClient.invalidateQueries({ queryKey: trpc.mailboxes.forOrder.pathKey() });
      },
      onError: (error) => setMessage(describeProblem(error).message),
    }),
  );
  return (
    <div className="check-dns">
      <button
        type="button"
        className="button-secondary"
        disabled={check.isPending}
        onClick={() => check.mutate({ orderId })}
      >
        {check.isPending ? 'Checking…' : 'Check now'}
      </button>
      <p role="status" className="muted">
        {message}
      </p>
    </div>
  );
}

function Mailboxes({ domain }: { domain: DomainView }) {
  const headingId = `mailboxes-${domain.recordId}`;
  return (
    <section className="mailboxes" aria-labelledby={headingId}>
      <h4 id={headingId}>
        Mailboxes on <DomainName name={domain.domain} />
      </h4>
      <ul className="summary-list">
        {domain.mailboxes.map((mailbox) => (
          <li key={mailbox.id}>
            <strong>{mailbox.email}</strong> <CopyButton text={mailbox.email} label={mailbox.email} />{' '}
            <span className="muted">
              {mailbox.firstName} {mailbox.lastName}
            </span>
            {mailbox.ready ? (
              <Password mailboxId={mailbox.id} email={mailbox.email} />
            ) : (
              <p className="muted">Being created…</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The password stays on the server until asked for; each reveal is recorded. */
function Password({ mailboxId, email }: { mailboxId: string; email: string }) {
  const trpc = useTRPC();
  const reveal = useMutation(trpc.mailboxes.revealPassword.mutationOptions());
  if (reveal.data) {
    return (
      <p>
        Password for {email}: <code>{reveal.data.password}</code>{' '}
        <CopyButton text={reveal.data.password} label={`the password for ${email}`} />
      </p>
    );
  }
  return (
    <p>
      <button
        type="button"
        className="button-secondary button-small"
        disabled={reveal.isPending}
        aria-label={`Show password for ${email}`}
        onClick={() => reveal.mutate({ mailboxId })}
      >
        Show password
      </button>
      {reveal.isError ? <span className="field-error"> {describeProblem(reveal.error).message}</span> : null}
    </p>
  );
}
