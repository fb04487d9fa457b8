import { openShopSchema } from '@handover/contracts/drivers/data-bundle';
import { formatNationalPhone } from '@handover/contracts/phone';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { Field } from '../components/Field';
import { ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { useZodForm } from '../forms/useZodForm';
import { formatMoney } from '../money';
import { formatTime } from '../orders/statusText';
import { type RouterOutputs, useTRPC } from '../trpc';

type Customer = RouterOutputs['dataBundles']['shop']['customers'][number];

/**
 * `/customers` (seed 002: "customer tracked if the user has a shop"): a reseller's shop keeps
 * the numbers it bought data for, with how many bundles each got and what they cost; texts to
 * each number can be stopped here.
 */
export function CustomersPage() {
  const trpc = useTRPC();
  const shop = useQuery(trpc.dataBundles.shop.queryOptions());
  if (shop.isPending) return <Loading what="your customers" />;
  if (shop.isError)
    return <ErrorNotice retry={() => shop.refetch()}>{describeProblem(shop.error).message}</ErrorNotice>;
  if (!shop.data.shop) return <OpenShop />;
  const { customers } = shop.data;
  const totals = new Map<string, number>();
  for (const customer of customers)
    totals.set(customer.currency, (totals.get(customer.currency) ?? 0) + customer.totalMinor);
  return (
    <section className="narrow">
      <h1>{shop.data.shop.name}: your customers</h1>
      {customers.length === 0 ? (
        <p>
          No bundles yet. <Link to="/packages">Buy data for a customer</Link>.
        </p>
      ) : (
        <>
          <p>
            {customers.length} number{customers.length === 1 ? '' : 's'},{' '}
            {customers.reduce((sum, c) => sum + c.purchases, 0)} bundles,{' '}
            {[...totals].map(([currency, minor]) => formatMoney(minor, currency)).join(' + ')} in all.
          </p>
          <ul className="customers">
            {customers.map((customer) => (
              <CustomerRow key={`${customer.phoneNumber}-${customer.currency}`} customer={customer} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function CustomerRow({ customer }: { customer: Customer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setTexts = useMutation(
    trpc.dataBundles.setTexts.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.dataBundles.shop.queryKey() }),
    }),
  );
  const phone = formatNationalPhone(customer.phoneNumber);
  return (
    <li className="card customer">
      <h2>{phone}</h2>
      <dl className="details">
        <div>
          <dt>Network</dt>
          <dd>{customer.network}</dd>
        </div>
        <div>
          <dt>Bundles</dt>
          <dd>
            {customer.purchases} ({customer.delivered} delivered)
          </dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{formatMoney(customer.totalMinor, customer.currency)}</dd>
        </div>
        <div>
          <dt>Last bought</dt>
          <dd>{formatTime(customer.lastPurchasedAt)}</dd>
        </div>
      </dl>
      <label className="choice">
        <input
          type="checkbox"
          checked={customer.texts}
          disabled={setTexts.isPending}
          onChange={(event) => setTexts.mutate({ phoneNumber: customer.phoneNumber, texts: event.target.checked })}
        />
        Text {phone} about its bundles
      </label>
      {setTexts.isError ? <p className="field-error">{describeProblem(setTexts.error).message}</p> : null}
      <Link className="button button-secondary" to={`/packages?phone=${encodeURIComponent(phone)}`}>
        Buy data for {phone}
      </Link>
    </li>
  );
}

function OpenShop() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const open = useMutation(trpc.dataBundles.openShop.mutationOptions());
  const form = useZodForm(openShopSchema, { name: '' });
  return (
    <section className="narrow">
      <h1>Your customers</h1>
      <p>Reselling data? Open a shop and we keep the list of numbers you buy bundles for, with what each has had.</p>
      <form
        noValidate
        aria-labelledby="open-shop"
        onSubmit={form.submit(async (data) => {
          await open.mutateAsync(data);
          await queryClient.invalidateQueries({ queryKey: trpc.dataBundles.shop.queryKey() });
        })}
      >
        <h2 id="open-shop">Open a shop</h2>
        {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
        <Field
          label="Shop name"
          value={form.values.name}
          onChange={(name) => form.set('name', name)}
          errors={form.errors.name}
          required
        />
        <button type="submit" disabled={form.submitting}>
          Open shop
        </button>
      </form>
    </section>
  );
}
