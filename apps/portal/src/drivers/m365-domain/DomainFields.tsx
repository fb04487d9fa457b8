import { MAX_DOMAINS_PER_ORDER } from '@handover/contracts/drivers/m365-domain';
import { Field } from '../../components/Field';
import type { FieldErrors } from '../../forms/useZodForm';

export interface DomainEntry {
  domain: string;
  forwardingUrl: string;
  names: string[];
}

export const emptyDomain = (): DomainEntry => ({ domain: '', forwardingUrl: '', names: [''] });

interface Props {
  domains: DomainEntry[];
  onChange(domains: DomainEntry[]): void;
  /** Keyed as the shared schema names them: `domains.0.domain`, `domains.1.names.2`. */
  errors: FieldErrors;
}

/** Seed 000's order form: one or more domains, each with its forwarding URL and 1–3 names. */
export function DomainFields({ domains, onChange, errors }: Props) {
  const update = (index: number, patch: Partial<DomainEntry>) =>
    onChange(domains.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)));

  return (
    <fieldset className="domains">
      <legend>Domains</legend>
      {errors.domains ? <p className="field-error">{errors.domains.join(' ')}</p> : null}
      {domains.map((entry, index) => {
        const at = `domains.${index}`;
        return (
          // Entries are edited in place and only appended or removed, so their index is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <div key={index} className="domain-entry">
            <h3>Domain {index + 1}</h3>
            <Field
              label="Domain name"
              hint="The domain you own, e.g. mybusiness.com"
              value={entry.domain}
              onChange={(domain) => update(index, { domain })}
              errors={errors[`${at}.domain`]}
              required
            />
            <Field
              label="Forwarding URL"
              type="url"
              hint="Where the domain's mail is forwarded, e.g. https://example.com"
              value={entry.forwardingUrl}
              onChange={(forwardingUrl) => update(index, { forwardingUrl })}
              errors={errors[`${at}.forwardingUrl`]}
              required
            />
            <fieldset className="names">
              <legend>Names for the domain (1 to 3 people)</legend>
              {errors[`${at}.names`] ? <p className="field-error">{errors[`${at}.names`]?.join(' ')}</p> : null}
              {entry.names.map((name, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: names are edited in place by position
                <div key={n} className="name-row">
                  <Field
                    label={`Name ${n + 1}`}
                    autoComplete="off"
                    value={name}
                    onChange={(value) => update(index, { names: entry.names.map((x, i) => (i === n ? value : x)) })}
                    errors={errors[`${at}.names.${n}`]}
                  />
                  {entry.names.length > 1 ? (
                    <button
                      type="button"
                      className="button-secondary button-small"
                      onClick={() => update(index, { names: entry.names.filter((_, i) => i !== n) })}
                    >
                      Remove name {n + 1}
                    </button>
                  ) : null}
                </div>
              ))}
              {entry.names.length < 3 ? (
                <button
                  type="button"
                  className="button-secondary button-small"
                  onClick={() => update(index, { names: [...entry.names, ''] })}
                >
                  Add a name
                </button>
              ) : null}
            </fieldset>
            {domains.length > 1 ? (
              <button
                type="button"
                className="button-secondary"
                onClick={() => onChange(domains.filter((_, i) => i !== index))}
              >
                Remove domain {index + 1}
              </button>
            ) : null}
          </div>
        );
      })}
      {domains.length < MAX_DOMAINS_PER_ORDER ? (
        <button type="button" className="button-secondary" onClick={() => onChange([...domains, emptyDomain()])}>
          Add another domain
        </button>
      ) : null}
    </fieldset>
  );
}
