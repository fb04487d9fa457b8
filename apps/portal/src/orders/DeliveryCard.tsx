import { DomainName } from '../components/DomainName';
import { useDriverViews } from '../drivers';
import type { CustomerOrder, Delivery } from '../drivers/types';
import { ResultDetails } from './ResultDetails';
import { customerDeliveryStatus, formatTime, StatusBadge, stepStatusText } from './statusText';

/** One delivery: its status, why, its steps, then what its driver shows of the result. */
export function DeliveryCard({ delivery, order }: { delivery: Delivery; order: CustomerOrder }) {
  const status = customerDeliveryStatus(delivery.status, delivery.dns?.status);
  const retrying = delivery.status === 'processing' && delivery.nextAttemptAt;
  const views = useDriverViews(delivery.driver);
  const DriverDelivery = views.data?.Delivery;

  return (
    <article className="delivery">
      <header>
        <h3>{delivery.subject ? <DomainName name={delivery.subject} /> : 'Delivery'}</h3>
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
      {views.isPending ? null : DriverDelivery ? (
        <DriverDelivery delivery={delivery} order={order} />
      ) : (
        <ResultDetails result={delivery.result} labels={delivery.resultLabels} />
      )}
    </article>
  );
}
