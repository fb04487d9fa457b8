import { Link } from 'wouter';
import { CopyButton } from '../components/CopyButton';
import { deliveryStatusText, formatTime, StatusBadge } from '../orders/statusText';
import { InstanceLogin } from './InstanceLogin';
import type { Installation } from './types';

/** Dedicated instances and managed setups (seed 003 §7.1 CustomerInstallations). */
export function InstallationsList({ installations }: { installations: Installation[] }) {
  return (
    <ul className="product-list">
      {installations.map((installation) => (
        <li key={installation.recordId} className="card">
          <h2>
            {installation.productName} <StatusBadge {...deliveryStatusText[installation.status]} />
          </h2>
          <p className="muted">
            Order <Link to={`/orders/${installation.orderCode}`}>{installation.orderCode}</Link>
            {installation.kind === 'managed_setup' ? ' · set up by our team' : ''}
            {installation.deliveredAt ? ` · delivered ${formatTime(installation.deliveredAt)}` : ''}
          </p>
          {installation.kind === 'managed_setup' ? (
            installation.note ? (
              <p>{installation.note}</p>
            ) : null
          ) : installation.instanceStatus === 'provisioning' ? (
            <p>Your instance is being set up; this takes a few minutes.</p>
          ) : installation.url && installation.adminUsername && installation.instanceStatus === 'ready' ? (
            <>
              <p>
                <a className="button" href={installation.url} target="_blank" rel="noreferrer">
                  Open your instance
                </a>{' '}
                <span className="muted">{installation.hostname}</span>
              </p>
              {installation.cnameTarget ? (
                <p className="notice">
                  Point <code>{installation.hostname}</code> at <code>{installation.cnameTarget}</code> with a CNAME
                  record. <CopyButton text={installation.cnameTarget} label="the CNAME target" />
                </p>
              ) : null}
              <InstanceLogin recordId={installation.recordId} username={installation.adminUsername} />
            </>
          ) : (
            <p className="muted">This instance is {installation.instanceStatus}.</p>
          )}
        </li>
      ))}
    </ul>
  );
}
