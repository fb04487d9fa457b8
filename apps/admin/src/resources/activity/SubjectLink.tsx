import type { MouseEvent } from 'react';
import { Link } from 'react-admin';

/** Where each kind of subject opens in the back office, and what to call it. */
const SUBJECTS: Record<string, { label: string; path: (id: string) => string }> = {
  order: { label: 'Order', path: (id) => `/orders/${id}/show` },
  customer: { label: 'Customer', path: (id) => `/customers/${id}/show` },
  fulfillment_record: { label: 'Fulfillment record', path: (id) => `/fulfillment-records/${id}/show` },
  inventory_pool: { label: 'Inventory pool', path: (id) => `/inventory-pools/${id}/show` },
  product: { label: 'Product', path: (id) => `/products/${id}/show` },
  user: { label: 'User', path: (id) => `/users/${id}` },
};

/** The activity's subject as a link to its page, the whole id in the link's title; plain text when it has none. */
export function SubjectLink({ type, id }: { type: string; id: string }) {
  const subject = SUBJECTS[type];
  const text = `${subject?.label ?? type.replaceAll('_', ' ')} ${id.slice(0, 8)}`;
  if (!subject) return <span title={id}>{text}</span>;
  return (
    <Link
      to={subject.path(id)}
      title={`${subject.label} ${id}`}
      onClick={(event: MouseEvent) => event.stopPropagation()}
    >
      {text}
    </Link>
  );
}
