import { CopyButton } from '../../components/CopyButton';
import { DomainName } from '../../components/DomainName';
import { formatTime } from '../../orders/statusText';

interface Props {
  domain: string;
  nameservers: string[];
  verified: boolean;
  /** What the DNS checks found so far, when the domain has them. */
  check: {
    lastCheckedAt: Date | string | null;
    nextCheckAt: Date | string | null;
    lastSeenNameservers: string[];
  } | null;
}

/** Seed 000 phase 4: the nameservers to set at the registrar, with copy buttons and the steps. */
export function Nameservers({ domain, nameservers, verified, check }: Props) {
  return (
    <section className="nameservers" aria-labelledby={`ns-${domain}`}>
      <h4 id={`ns-${domain}`}>
        Nameservers for <DomainName name={domain} />
      </h4>
      <ul>
        {nameservers.map((ns) => (
          <li key={ns}>
            <code>{ns}</code> <CopyButton text={ns} label={ns} />
          </li>
        ))}
      </ul>
      {verified ? (
        <p className="notice notice-ok">DNS verified: {domain} points to these nameservers. You are all set.</p>
      ) : (
        <>
          <ol className="instructions">
            <li>Go to your domain registrar (GoDaddy, Namecheap, etc.).</li>
            <li>Update the nameservers of {domain} to the ones above.</li>
            <li>Wait 24–48 hours for DNS propagation. We check for you and tell you when it is live.</li>
          </ol>
          <p className="muted">
            DNS status: waiting for the change
            {check?.lastCheckedAt ? `; last checked ${formatTime(check.lastCheckedAt)}` : ''}
            {check?.nextCheckAt ? `; next check around ${formatTime(check.nextCheckAt)}` : ''}.
          </p>
          {check?.lastCheckedAt ? (
            <p className="muted">
              {check.lastSeenNameservers.length > 0
                ? `At the last check, ${domain} pointed to ${check.lastSeenNameservers.join(', ')}.`
                : `At the last check, ${domain} had no nameservers we could see yet.`}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
