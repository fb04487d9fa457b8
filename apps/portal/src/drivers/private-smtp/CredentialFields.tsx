import { useId } from 'react';
import { Field } from '../../components/Field';
import type { FieldErrors } from '../../forms/useZodForm';
import type { Credentials, Values } from './values';

interface Props {
  platform: Values['hostingPlatform'];
  credentials: Credentials;
  onChange(platform: Values['hostingPlatform'], credentials: Credentials): void;
  errors: FieldErrors;
  facts: Record<string, string>;
  /** On a resubmission: empty fields keep the saved credentials. */
  optional?: boolean;
}

/** Where the domains are registered, and that registrar's API access (seed 001's platform fields). */
export function CredentialFields({ platform, credentials, onChange, errors, facts, optional = false }: Props) {
  const allowId = useId();
  const set = <K extends keyof Credentials>(key: K, value: Credentials[K]) =>
    onChange(platform, { ...credentials, [key]: value });
  const error = (field: keyof Credentials) => errors[`credentials.${field}`];
  const ip = facts.namecheapClientIp;
  return (
    <fieldset>
      <legend>Where your domains are registered</legend>
      <p className="hint">
        We use these keys only to point your domains at our mail servers. They are kept encrypted and never shown back
        in full.
      </p>
      {errors.hostingPlatform ? <p className="field-error">{errors.hostingPlatform.join(' ')}</p> : null}
      {(['spaceship', 'namecheap'] as const).map((choice) => (
        <label key={choice} className="choice">
          <input
            type="radio"
            name="hostingPlatform"
            value={choice}
            checked={platform === choice}
            onChange={() => onChange(choice, credentials)}
          />
          {choice === 'spaceship' ? 'Spaceship' : 'Namecheap'}
        </label>
      ))}
      {platform === 'spaceship' ? (
        <>
          <Field
            label="Spaceship API key"
            type="password"
            autoComplete="off"
            hint="From Spaceship’s API Manager; the key needs permission to change nameservers"
            value={credentials.spaceshipApiKey}
            onChange={(value) => set('spaceshipApiKey', value)}
            errors={error('spaceshipApiKey')}
            required={!optional}
          />
          <Field
            label="Spaceship API secret"
            type="password"
            autoComplete="off"
            value={credentials.spaceshipApiSecret}
            onChange={(value) => set('spaceshipApiSecret', value)}
            errors={error('spaceshipApiSecret')}
            required={!optional}
          />
        </>
      ) : null}
      {platform === 'namecheap' ? (
        <>
          <Field
            label="Namecheap API user"
            autoComplete="off"
            hint="Your Namecheap login"
            value={credentials.namecheapApiUser}
            onChange={(value) => set('namecheapApiUser', value)}
            errors={error('namecheapApiUser')}
            required={!optional}
          />
          <Field
            label="Namecheap API key"
            type="password"
            autoComplete="off"
            hint="Profile → Tools → Namecheap API Access"
            value={credentials.namecheapApiKey}
            onChange={(value) => set('namecheapApiKey', value)}
            errors={error('namecheapApiKey')}
            required={!optional}
          />
          <div className="field">
            <label className="choice" htmlFor={allowId}>
              <input
                id={allowId}
                type="checkbox"
                checked={credentials.namecheapIpAllowlisted}
                aria-invalid={!!error('namecheapIpAllowlisted')}
                aria-describedby={error('namecheapIpAllowlisted') ? `${allowId}-error` : undefined}
                onChange={(event) => set('namecheapIpAllowlisted', event.target.checked)}
              />
              I have added our IP address{ip ? ` ${ip}` : ''} to my Namecheap API allow-list
            </label>
            {error('namecheapIpAllowlisted') ? (
              <p id={`${allowId}-error`} className="field-error">
                {error('namecheapIpAllowlisted')?.join(' ')}
              </p>
            ) : null}
          </div>
          <Field
            label="Namecheap backup codes"
            rows={2}
            hint="Kept for our support team, should Namecheap ask for them"
            value={credentials.namecheapBackupCodes}
            onChange={(value) => set('namecheapBackupCodes', value)}
            errors={error('namecheapBackupCodes')}
            required={!optional}
          />
        </>
      ) : null}
    </fieldset>
  );
}
