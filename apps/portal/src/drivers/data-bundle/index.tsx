import { formatNationalPhone } from '@handover/contracts/phone';
import { CopyButton } from '../../components/CopyButton';
import type { Delivery, OwnPageDriverViews } from '../types';

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** Seed 002: the data, the number it went to, and the reseller's reference once it is delivered. */
function BundleDelivery({ delivery }: { delivery: Delivery }) {
  const { result } = delivery;
  const phone = text(result.phoneNumber) ?? delivery.subject;
  const reference = text(result.reference);
  return (
    <dl className="details">
      {text(result.size) ? (
        <div>
          <dt>Data</dt>
          <dd>
            {text(result.size)} of {text(result.network)}
          </dd>
        </div>
      ) : null}
      {phone ? (
        <div>
          <dt>Phone number</dt>
          <dd>{formatNationalPhone(phone)}</dd>
        </div>
      ) : null}
      {reference ? (
        <div>
          <dt>Reference</dt>
          <dd>
            <code>{reference}</code> <CopyButton text={reference} label="the reference" />
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Mobile data bundles (seed 002): ordered on the packages page, shown with their reference. */
export const views: OwnPageDriverViews = {
  orderPage: (slug) => `/packages?package=${encodeURIComponent(slug)}`,
  Delivery: BundleDelivery,
};
