import { Link } from 'wouter';
import type { Delivery, DriverViews } from '../types';

interface Offered {
  files: { name: string; description: string | null }[];
  availableDays: number | null;
}
export const filesOf = (options: Record<string, unknown>): Offered => ({
  files: (options.files as Offered['files'] | undefined) ?? [],
  availableDays: (options.availableDays as number | null | undefined) ?? null,
});

/** What a product's files are, on the order form. */
export function FilesYouGet({ options }: { options: Record<string, unknown> }) {
  const { files, availableDays } = filesOf(options);
  if (files.length === 0) return null;
  return (
    <section className="card" aria-label="What you download">
      <h2>What you download</h2>
      <ul>
        {files.map((file) => (
          <li key={file.name}>
            {file.name}
            {file.description ? <span className="muted"> — {file.description}</span> : null}
          </li>
        ))}
      </ul>
      <p className="muted">
        Download links are on your Products page once you have paid
        {availableDays ? `, for ${availableDays} days` : ''}.
      </p>
    </section>
  );
}

/** Where a delivered self-hosted product is: the Products page (keys and links are given there). */
export function OnProductsPage({ delivery, what }: { delivery: Delivery; what: string }) {
  if (!['active', 'completed', 'suspended'].includes(delivery.status)) return null;
  return (
    <p>
      {what} <Link to="/products">Go to your products</Link>.
    </p>
  );
}

/** Seed 003 `self_hosted_download`: nothing to fill in; the files are listed. */
export const views: DriverViews<Record<string, never>> = {
  orderForm: {
    initialValues: () => ({}),
    Fields: ({ options }) => <FilesYouGet options={options} />,
    check: () => ({ ok: true, input: {}, parts: 1 }),
    Summary: ({ options }) => (
      <div>
        <dt>Files</dt>
        <dd>
          {filesOf(options)
            .files.map((file) => file.name)
            .join(', ')}
        </dd>
      </div>
    ),
    phone: { required: false, hint: 'Optional; for delivery messages by SMS.' },
    quantity: { kind: 'units' },
  },
  Delivery: ({ delivery }) => (
    <OnProductsPage delivery={delivery} what="Your download links are on your Products page." />
  ),
};
