import { CopyButton } from '../../components/CopyButton';
import { InstanceLogin } from '../../products/InstanceLogin';
import type { Delivery } from '../types';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/** The instance once ready: its address, where to point a custom domain, and its first admin. */
export function InstanceDelivery({ delivery }: { delivery: Delivery }) {
  const url = text(delivery.result.url);
  const username = text(delivery.result.adminUsername);
  const cname = text(delivery.result.cnameTarget);
  const hostname = text(delivery.result.hostname);
  if (!url || !username || delivery.status === 'cancelled') return null;
  return (
    <section aria-label={`Instance ${hostname ?? ''}`}>
      <p>
        <a className="button" href={url} target="_blank" rel="noreferrer">
          Open your instance
        </a>{' '}
        <span className="muted">{url}</span>
      </p>
      {cname && hostname ? (
        <p className="notice">
          Point <code>{hostname}</code> at <code>{cname}</code> with a CNAME record at your DNS provider.{' '}
          <CopyButton text={cname} label="the CNAME target" />
        </p>
      ) : null}
      <InstanceLogin recordId={delivery.id} username={username} />
    </section>
  );
}
