import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { CopyButton } from '../components/CopyButton';
import { describeProblem } from '../errors';
import { formatTime, StatusBadge } from '../orders/statusText';
import { useTRPC } from '../trpc';
import type { License } from './types';

const LICENSE_STATUS = {
  active: { label: 'Active', tone: 'ok' },
  suspended: { label: 'Suspended', tone: 'neutral' },
  revoked: { label: 'Revoked', tone: 'bad' },
} as const;

function LicenseKey({ license }: { license: License }) {
  const trpc = useTRPC();
  const reveal = useMutation(trpc.products.revealLicenseKey.mutationOptions());
  return (
    <div className="license-key">
      {reveal.data ? (
        <>
          <code className="key">{reveal.data.licenseKey}</code>{' '}
          <CopyButton text={reveal.data.licenseKey} label={`the licence key of ${license.productName}`} />
        </>
      ) : (
        <>
          <code>{license.keyHint}</code>{' '}
          <button
            type="button"
            className="button-secondary button-small"
            disabled={reveal.isPending}
            onClick={() => reveal.mutate({ licenseId: license.id })}
          >
            {reveal.isPending ? 'Showing…' : `Show licence key for ${license.productName}`}
          </button>
        </>
      )}
      {reveal.error ? <p className="field-error">{describeProblem(reveal.error).message}</p> : null}
    </div>
  );
}

function Activations({ license }: { license: License }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const deactivate = useMutation(
    trpc.products.deactivateActivation.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.products.mine.queryKey() }),
    }),
  );
  const headingId = `activations-${license.id}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>
        Machines: {license.activations.length} of {license.activationLimit} in use
      </h3>
      {license.activations.length === 0 ? (
        <p className="muted">Not activated on any machine yet: paste the key into the app to activate it.</p>
      ) : (
        <ul>
          {license.activations.map((activation) => (
            <li key={activation.id}>
              {activation.label || activation.instanceId}{' '}
              <span className="muted">since {formatTime(activation.activatedAt)}</span>{' '}
              <button
                type="button"
                className="button-secondary button-small"
                disabled={deactivate.isPending}
                onClick={() => deactivate.mutate({ activationId: activation.id })}
              >
                Deactivate {activation.label || activation.instanceId}
              </button>
            </li>
          ))}
        </ul>
      )}
      {deactivate.error ? <p className="field-error">{describeProblem(deactivate.error).message}</p> : null}
    </section>
  );
}

/** Seed 003 §7.1 CustomerLicenses: each key on request, its machines, what it is for. */
export function LicensesList({ licenses }: { licenses: License[] }) {
  return (
    <ul className="product-list">
      {licenses.map((license) => (
        <li key={license.id} className="card">
          <h2>
            {license.productName} <StatusBadge {...LICENSE_STATUS[license.status]} />
          </h2>
          <p className="muted">
            Order <Link to={`/orders/${license.orderCode}`}>{license.orderCode}</Link> · {license.productCode}
            {license.licensee ? ` · licensed to ${license.licensee}` : ''} ·{' '}
            {license.expiresAt ? `valid until ${formatTime(license.expiresAt)}` : 'does not expire'}
          </p>
          {license.statusReason ? <p className="notice">{license.statusReason}</p> : null}
          {license.status === 'revoked' ? null : (
            <>
              <LicenseKey license={license} />
              <Activations license={license} />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
