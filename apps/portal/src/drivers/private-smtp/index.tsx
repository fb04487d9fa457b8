import { mailboxAddresses } from '@handover/contracts/drivers/private-smtp';
import { DomainName } from '../../components/DomainName';
import type { DriverViews } from '../types';
import { MailboxDelivery } from './MailboxDelivery';
import { OrderFields } from './OrderFields';
import { checkPrivateSmtp, domainsOf, initialValues, keyEnding, saveCredentialsFirst, type Values } from './values';

function Summary({ values }: { values: Values }) {
  const domains = domainsOf(values.domains);
  const sample = domains[0] ? mailboxAddresses(domains[0], values.prefixVariants) : [];
  const key =
    values.hostingPlatform === 'namecheap' ? values.credentials.namecheapApiKey : values.credentials.spaceshipApiKey;
  return (
    <>
      <div>
        <dt>Domains</dt>
        <dd>
          <ul className="summary-list">
            {domains.map((domain) => (
              <li key={domain}>
                <strong>
                  <DomainName name={domain} />
                </strong>
              </li>
            ))}
          </ul>
        </dd>
      </div>
      <div>
        <dt>Mailboxes per domain</dt>
        <dd>
          {values.inboxesPerDomain}: {sample.join(', ')}
          {domains.length > 1 ? ', and the same on each domain' : ''}
        </dd>
      </div>
      <div>
        <dt>Registrar</dt>
        <dd>
          {values.hostingPlatform === 'namecheap' ? `Namecheap (${values.credentials.namecheapApiUser})` : 'Spaceship'},
          API key {keyEnding(key)}
        </dd>
      </div>
    </>
  );
}

/** Private SMTP mailboxes on the customer's own domains (seed 001). */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues,
    Fields: OrderFields,
    check: checkPrivateSmtp,
    prepare: saveCredentialsFirst,
    Summary,
    phone: { required: false, hint: 'Optional: for questions about your order.' },
    quantity: { kind: 'parts', unit: 'domain' },
  },
  Delivery: MailboxDelivery,
};
