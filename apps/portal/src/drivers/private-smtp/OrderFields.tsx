import { MAX_INBOXES_PER_DOMAIN } from '@handover/contracts/drivers/private-smtp';
import { Field } from '../../components/Field';
import type { FieldErrors } from '../../forms/useZodForm';
import { CredentialFields } from './CredentialFields';
import { type PrefixRow, type Values, withInboxes } from './values';

interface Props {
  values: Values;
  onChange(values: Values): void;
  errors: FieldErrors;
  facts: Record<string, string>;
}

/** Seed 001's order form: domains, inboxes and their prefixes, the registrar and its keys, and the extras. */
export function OrderFields({ values, onChange, errors, facts }: Props) {
  const set = <K extends keyof Values>(key: K, value: Values[K]) => onChange({ ...values, [key]: value });
  const setPrefix = (index: number, patch: Partial<PrefixRow>) =>
    set(
      'prefixVariants',
      values.prefixVariants.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    );
  return (
    <>
      <fieldset>
        <legend>Your domains</legend>
        <Field
          label="Domains"
          rows={4}
          hint="The domains you own, one per line or separated by commas, e.g. mybusiness.com"
          value={values.domains}
          onChange={(domains) => set('domains', domains)}
          errors={errors.domains}
          required
        />
      </fieldset>
      <fieldset>
        <legend>Inboxes per domain</legend>
        {errors.inboxesPerDomain ? <p className="field-error">{errors.inboxesPerDomain.join(' ')}</p> : null}
        {Array.from({ length: MAX_INBOXES_PER_DOMAIN }, (_, i) => i + 1).map((count) => (
          <label key={count} className="choice">
            <input
              type="radio"
              name="inboxesPerDomain"
              value={count}
              checked={values.inboxesPerDomain === count}
              onChange={() => onChange(withInboxes(values, count))}
            />
            {count} {count === 1 ? 'inbox' : 'inboxes'}
          </label>
        ))}
        {errors.prefixVariants ? <p className="field-error">{errors.prefixVariants.join(' ')}</p> : null}
        {values.prefixVariants.map((row, index) => {
          const at = `prefixVariants.${index}`;
          return (
            // Rows are only appended or dropped from the end, so their index is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <div key={index} className="domain-entry">
              <h3>Inbox {index + 1}</h3>
              <Field
                label={`Prefix for inbox ${index + 1}`}
                hint="Before the @: john makes john@yourdomain.com on every domain"
                value={row.prefix}
                onChange={(prefix) => setPrefix(index, { prefix })}
                errors={errors[`${at}.prefix`]}
                autoComplete="off"
                required
              />
              <Field
                label={`First name for inbox ${index + 1}`}
                value={row.firstName}
                onChange={(firstName) => setPrefix(index, { firstName })}
                errors={errors[`${at}.firstName`]}
                required
              />
              <Field
                label={`Last name for inbox ${index + 1}`}
                value={row.lastName}
                onChange={(lastName) => setPrefix(index, { lastName })}
                errors={errors[`${at}.lastName`]}
                required
              />
            </div>
          );
        })}
      </fieldset>
      <CredentialFields
        platform={values.hostingPlatform}
        credentials={values.credentials}
        onChange={(hostingPlatform, credentials) => onChange({ ...values, hostingPlatform, credentials })}
        errors={errors}
        facts={facts}
      />
      <fieldset>
        <legend>Optional</legend>
        <Field
          label="Forwarding URL"
          type="url"
          hint="Where mail is forwarded, e.g. https://mybusiness.com"
          value={values.forwardingUrl}
          onChange={(forwardingUrl) => set('forwardingUrl', forwardingUrl)}
          errors={errors.forwardingUrl}
        />
        <Field
          label="Profile picture URL"
          type="url"
          value={values.profilePictureUrl}
          onChange={(profilePictureUrl) => set('profilePictureUrl', profilePictureUrl)}
          errors={errors.profilePictureUrl}
        />
        <Field
          label="Master inbox"
          type="email"
          hint="An address that receives a copy of all mail"
          value={values.masterInboxEmail}
          onChange={(masterInboxEmail) => set('masterInboxEmail', masterInboxEmail)}
          errors={errors.masterInboxEmail}
        />
        <Field
          label="Notes"
          rows={3}
          value={values.notes}
          onChange={(notes) => set('notes', notes)}
          errors={errors.notes}
        />
      </fieldset>
    </>
  );
}
