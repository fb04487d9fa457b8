import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { type RouterOutputs, useTRPC } from '../trpc';

type Invoices = RouterOutputs['billing']['invoices'];
type Services = RouterOutputs['billing']['services'];

/**
 * Seed 004 step 6: invoices and services from the billing system (WHMCS) through the server,
 * and the payment methods kept there. The server answers within seconds whatever the billing
 * system does, with a message when it could not be read.
 */
export function BillingPage() {
  const trpc = useTRPC();
  const summary = useQuery(trpc.billing.paymentMethods.queryOptions());
  const invoices = useQuery({ ...trpc.billing.invoices.queryOptions(), enabled: summary.data?.configured === true });
  const services = useQuery({ ...trpc.billing.services.queryOptions(), enabled: summary.data?.configured === true });
  const link = useMutation(trpc.billing.addPaymentMethodLink.mutationOptions());

  if (summary.isPending) return <Loading what="your billing" />;
  if (summary.isError) {
    return <ErrorNotice retry={() => summary.refetch()}>{describeProblem(summary.error).message}</ErrorNotice>;
  }
  if (!summary.data.configured) return <Empty>Billing is not set up here.</Empty>;

  const manage = async () => {
    const tab = window.open('', '_blank');
    try {
      const { url } = await link.mutateAsync();
      if (tab) tab.location.href = url;
      else window.location.assign(url);
    } catch {
      tab?.close();
    }
  };
  return (
    <section>
      <h1>Billing</h1>
      <h2>Payment methods</h2>
      <p>
        {summary.data.hasPaymentMethod
          ? `You have a payment method on file with ${summary.data.system}.`
          : `You have no payment method on file with ${summary.data.system} yet.`}{' '}
        <button type="button" onClick={manage} disabled={link.isPending}>
          {summary.data.hasPaymentMethod ? 'Manage payment methods' : 'Add a payment method'}
        </button>
      </p>
      {link.isError ? <p className="field-error">{describeProblem(link.error).message}</p> : null}

      <h2>Services</h2>
      <BillingList
        query={services}
        what="your services"
        empty="No services yet."
        head={['Service', 'Status', 'Billed', 'Amount', 'Next due']}
        row={(s: Services['items'][number]) => [s.name, s.status, s.billingCycle, s.amount, s.nextDueDate]}
      />
      <h2>Invoices</h2>
      <BillingList
        query={invoices}
        what="your invoices"
        empty="No invoices yet."
        head={['Invoice', 'Date', 'Due', 'Total', 'Status']}
        row={(i: Invoices['items'][number]) => [`#${i.id}`, i.date, i.dueDate, `${i.total} ${i.currency}`, i.status]}
      />
    </section>
  );
}

function BillingList<T extends { id: string }>({
  query,
  what,
  empty,
  head,
  row,
}: {
  query: {
    isPending: boolean;
    isError: boolean;
    error: unknown;
    refetch: () => unknown;
    data?: { available: boolean; items: T[]; message?: string };
  };
  what: string;
  empty: string;
  head: string[];
  row: (item: T) => ReactNode[];
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError || !query.data) {
    return <ErrorNotice retry={() => query.refetch()}>{describeProblem(query.error).message}</ErrorNotice>;
  }
  const { available, items, message } = query.data;
  return (
    <>
      {available ? null : (
        <ErrorNotice retry={() => query.refetch()}>{message ?? `We could not read ${what} right now.`}</ErrorNotice>
      )}
      {items.length === 0 ? (
        available ? (
          <Empty>{empty}</Empty>
        ) : null
      ) : (
        <table>
          <thead>
            <tr>
              {head.map((cell) => (
                <th key={cell}>{cell}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                {row(item).map((cell, index) => (
                  <td key={head[index]}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
