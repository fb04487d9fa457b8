import { Link } from 'wouter';
import { deliveryStatusText, StatusBadge } from '../orders/statusText';
import type { Workspace } from './types';

/** SaaS workspaces (seed 003 §8): "Open your workspace" while it is on. */
export function WorkspacesList({ workspaces }: { workspaces: Workspace[] }) {
  return (
    <ul className="product-list">
      {workspaces.map((workspace) => (
        <li key={workspace.recordId} className="card">
          <h2>
            {workspace.productName} <StatusBadge {...deliveryStatusText[workspace.status]} />
          </h2>
          <p className="muted">
            Order <Link to={`/orders/${workspace.orderCode}`}>{workspace.orderCode}</Link>
            {workspace.plan ? ` · plan ${workspace.plan}` : ''}
          </p>
          {workspace.status === 'active' || workspace.status === 'completed' ? (
            <p>
              <a className="button" href={workspace.workspaceUrl} target="_blank" rel="noreferrer">
                Open your workspace
              </a>
            </p>
          ) : workspace.status === 'suspended' ? (
            <p className="notice">This workspace is suspended; see your subscriptions.</p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
