import { describeDomain, isDomainName, MIXED_SCRIPTS_WARNING } from '@handover/contracts';

/**
 * A domain as it is provisioned: its ASCII (punycode) form, which is what DNS and the providers
 * see, its Unicode form beside it when they differ, and a warning when a label mixes alphabets
 * (a look-alike of another domain). Text that is not a domain is shown as it is.
 */
export function DomainName({ name }: { name: string }) {
  if (!isDomainName(name)) return <>{name}</>;
  const domain = describeDomain(name);
  return (
    <span className="domain-name">
      <span translate="no">{domain.ascii}</span>
      {domain.unicode !== domain.ascii ? (
        <span className="muted" lang="und">
          {' '}
          ({domain.unicode})
        </span>
      ) : null}
      {domain.mixedScripts ? (
        <span className="domain-warning" role="note">
          {' '}
          {MIXED_SCRIPTS_WARNING}
        </span>
      ) : null}
    </span>
  );
}
