import type { RouterOutputs } from '../trpc';
import { Nameservers } from './Nameservers';
import { deliveryStatusText, formatTime, StatusBadge, stepStatusText } from './statusText';

type Order = RouterOutputs['orders']['byCode'];
type Delivery = Order['items'][number]['deliveries'][number];

const isLink = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\//.test(value);

/** Result fields worth showing as they are (nameservers get their own panel). */
function Details({ result }: { result: Record<string, unknown> }) {
  const entries = Object.entries(result).filter(
    ([key, value]) =>
      !['nameservers', 'dns_verified', 'domain'].includes(key) && value !== null && typeof value !== 'object',
  );
  if (entries.length === 0) return null;
  return (
    <dl className="details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ')}</dt>
          <dd>{isLink(value) ? <a href={value}>{value}</a> : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DeliveryCard({ delivery, order }: { delivery: Delivery; order: Order }) {
  const status = deliveryStatusText[delivery.status];
  const nameservers = Array.isArray(delivery.result.nameservers)
    ? (delivery.result.nameservers as unknown[]).filter((n): n is string => typeof n === 'string')
    : [];
  const domain = typeof delivery.result.domain === 'string' ? delivery.result.domain : delivery.subject;
  const dns = order.nameservers.find((n) => n.domain === domain);
  const retrying = delivery.status === 'processing' && delivery.nextAttemptAt;

  return (
    <article className="delivery">
      <header>
        <h3>{delivery.subject ?? 'Delivery'}</h3>
        <StatusBadge {...status} />
      </header>
      {delivery.statusReason ? <p>{delivery.statusReason}</p> : null}
      {retrying && delivery.nextAttemptAt ? (
        <p className="muted">Next attempt around {formatTime(delivery.nextAttemptAt)}.</p>
      ) : null}
      {delivery.timeline.length > 0 ? (
        <ol className="timeline" aria-label={`Steps for ${delivery.subject ?? 'this delivery'}`}>
          {delivery.timeline.map((step) => (
            <li key={step.step} className={`step step-${step.status}`}>
              <span>{step.label}</span> <span className="muted">— {stepStatusText[step.status] ?? step.status}</span>{' '}
              <time dateTime={new Date(step.at).toISOString()} className="muted">
                {formatTime(step.at)}
              </time>
            </li>
          ))}
        </ol>
      ) : null}
      {nameservers.length > 0 && domain ? (
        <Nameservers
          domain={domain}
          nameservers={nameservers}
          verified={delivery.dns?.status === 'verified' || (dns?.dns_verified ?? delivery.status === 'active')}
          check={delivery.dns}
        />
      ) : null}
      <Details result={delivery.result} />
    </article>
  );
}
