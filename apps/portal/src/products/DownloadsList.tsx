import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { describeProblem } from '../errors';
import { formatTime, StatusBadge } from '../orders/statusText';
import { useTRPC } from '../trpc';
import type { Downloads } from './types';

const STATUS = {
  active: { label: 'Available', tone: 'ok' },
  suspended: { label: 'Suspended', tone: 'neutral' },
  revoked: { label: 'Withdrawn', tone: 'bad' },
} as const;

const size = (bytes: number) =>
  bytes >= 1_048_576
    ? `${(bytes / 1_048_576).toFixed(1)} MB`
    : bytes >= 1024
      ? `${Math.round(bytes / 1024)} KB`
      : `${bytes} B`;

/** One file: a button asks the server for an expiring link and starts the download. */
function DownloadButton({ entitlementId, file }: { entitlementId: string; file: Downloads['files'][number] }) {
  const trpc = useTRPC();
  const [problem, setProblem] = useState('');
  const link = useMutation(
    trpc.products.downloadLink.mutationOptions({
      onSuccess: ({ url }) => {
        setProblem('');
        window.location.assign(url);
      },
      onError: (error) => setProblem(describeProblem(error).message),
    }),
  );
  return (
    <>
      <button
        type="button"
        className="button-secondary button-small"
        disabled={link.isPending}
        onClick={() => link.mutate({ entitlementId, fileKey: file.key })}
      >
        Download {file.name}
      </button>
      {problem ? (
        <span role="alert" className="field-error">
          {' '}
          {problem}
        </span>
      ) : null}
    </>
  );
}

/** Seed 003's downloads: each file through a link that works for a few minutes, each download counted. */
export function DownloadsList({ downloads }: { downloads: Downloads[] }) {
  return (
    <ul className="product-list">
      {downloads.map((entitlement) => (
        <li key={entitlement.entitlementId} className="card">
          <h2>
            {entitlement.productName} <StatusBadge {...STATUS[entitlement.status]} />
          </h2>
          <p className="muted">
            Order <Link to={`/orders/${entitlement.orderCode}`}>{entitlement.orderCode}</Link>
            {entitlement.expiresAt ? ` · available until ${formatTime(entitlement.expiresAt)}` : ''}
          </p>
          {entitlement.statusReason ? <p className="notice">{entitlement.statusReason}</p> : null}
          <ul className="files">
            {entitlement.files.map((file) => (
              <li key={file.key}>
                <span>
                  {file.name} <span className="muted">({size(file.size)})</span>
                  {file.description ? <span className="muted"> — {file.description}</span> : null}
                </span>{' '}
                {entitlement.status === 'active' ? (
                  <DownloadButton entitlementId={entitlement.entitlementId} file={file} />
                ) : null}
                <span className="muted">
                  {' '}
                  {entitlement.maxDownloads
                    ? `${file.downloads} of ${entitlement.maxDownloads} downloads used`
                    : `downloaded ${file.downloads} ${file.downloads === 1 ? 'time' : 'times'}`}
                </span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
