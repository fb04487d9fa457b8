import { m365DomainOrderSchema } from '@handover/contracts/drivers/m365-domain';
import { DomainName } from '../../components/DomainName';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { ResultDetails } from '../../orders/ResultDetails';
import type { CheckedLine, Contact, CustomerOrder, Delivery, DriverViews } from '../types';
import { type DomainEntry, DomainFields, emptyDomain } from './DomainFields';
import { Nameservers } from './Nameservers';

interface Values {
  domains: DomainEntry[];
}

/** The line as the server reads it: the contact and the domains, empty name rows left out. */
function toForm(values: Values, contact: Contact) {
  return {
    email: contact.email,
    phone: contact.phone,
    domains: values.domains.map((entry) => ({ ...entry, names: entry.names.filter((name) => name.trim() !== '') })),
  };
}

/** Seed 000's form, checked with the driver's schema; it carries the contact, so its errors land there too. */
export function checkDomains(values: Values, contact: Contact): CheckedLine {
  const form = toForm(values, contact);
  const parsed = m365DomainOrderSchema.safeParse(form);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  return { ok: true, input: form, parts: parsed.data.domains.length };
}

function Summary({ values }: { values: Values }) {
  return (
    <div>
      <dt>Domains</dt>
      <dd>
        <ul className="summary-list">
          {values.domains.map((entry) => (
            <li key={entry.domain}>
              <strong>
                <DomainName name={entry.domain} />
              </strong>
              , mail forwarded to {entry.forwardingUrl.trim()}, for{' '}
              {entry.names.filter((name) => name.trim()).join(', ')}
            </li>
          ))}
        </ul>
      </dd>
    </div>
  );
}

/** The nameservers to set at the registrar, with the DNS checks so far, then the rest of the result. */
function DomainDelivery({ delivery, order }: { delivery: Delivery; order: CustomerOrder }) {
  const nameservers = nameserversOf(delivery);
  const domain = typeof delivery.result.domain === 'string' ? delivery.result.domain : delivery.subject;
  const dns = order.nameservers.find((n) => n.domain === domain);
  return (
    <>
      {nameservers.length > 0 && domain ? (
        <Nameservers
          domain={domain}
          nameservers={nameservers}
          verified={delivery.dns?.status === 'verified' || (dns?.dns_verified ?? delivery.status === 'active')}
          check={delivery.dns}
        />
      ) : null}
      <ResultDetails
        result={delivery.result}
        labels={delivery.resultLabels}
        omit={['nameservers', 'dns_verified', 'domain']}
      />
    </>
  );
}

const nameserversOf = (delivery: Delivery): string[] =>
  Array.isArray(delivery.result.nameservers)
    ? (delivery.result.nameservers as unknown[]).filter((n): n is string => typeof n === 'string')
    : [];

/** Microsoft 365 mail on the customer's own domains (seed 000). */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({ domains: [emptyDomain()] }),
    Fields: ({ values, onChange, errors }) => (
      <DomainFields domains={values.domains} onChange={(domains) => onChange({ domains })} errors={errors} />
    ),
    check: checkDomains,
    Summary,
    // Seed 000 asks for a phone on this form: the driver's schema requires it.
    phone: { required: true, hint: 'For delivery messages, e.g. +233 24 123 4567.' },
    quantity: { kind: 'parts', unit: 'domain' },
  },
  Delivery: DomainDelivery,
};
