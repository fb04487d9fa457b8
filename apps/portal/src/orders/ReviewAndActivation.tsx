import { ACTIVATION_STATUS_TEXT, describeMoment } from '@handover/contracts';
import type { CustomerOrder } from '../drivers/types';
import { formatTime, StatusBadge } from './statusText';

/**
 * Seed 004 on the order page: "Awaiting review", then the decision (and why, when rejected); once
 * approved, how and when the service is activated, how far it got, and what it still needs.
 */
export function ReviewAndActivation({ order }: { order: CustomerOrder }) {
  const { review, activation } = order;
  // While it waits for review, the page's heading says so.
  if ((!review || review.state === 'awaiting') && !activation) return null;
  return (
    <section className="item" aria-labelledby="review-heading">
      <h2 id="review-heading">Review and activation</h2>
      {review?.state === 'approved' ? (
        <p>
          <StatusBadge label="Approved" tone="ok" /> Approved
          {review.decidedAt ? ` on ${formatTime(review.decidedAt)}` : ''}.
        </p>
      ) : null}
      {review?.state === 'rejected' ? (
        <div className="notice notice-error">
          <p>
            <strong>Not approved.</strong> {review.reason ? `Why: ${review.reason}.` : ''} Everything you paid for it is
            refunded to the way you paid.
          </p>
        </div>
      ) : null}
      {activation ? (
        <dl className="details">
          <div>
            <dt>Activation</dt>
            <dd>
              {activation.type === 'scheduled' && activation.at && activation.timeZone
                ? `On ${describeMoment(new Date(activation.at), activation.timeZone)}`
                : 'As soon as it is ready'}
            </dd>
          </div>
          <div>
            <dt>Activation status</dt>
            <dd>
              <StatusBadge {...ACTIVATION_STATUS_TEXT[activation.status]} />
            </dd>
          </div>
          {activation.needed.length > 0 ? (
            <div>
              <dt>Needed before then</dt>
              <dd>
                <ul className="summary-list">
                  {activation.needed.map((need) => (
                    <li key={need}>{need}</li>
                  ))}
                </ul>
              </dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </section>
  );
}
