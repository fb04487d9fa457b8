import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useSession } from '../account/useSession';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { formatMoney } from '../money';
import { type RouterOutputs, useTRPC } from '../trpc';

type Product = RouterOutputs['catalog']['list'][number];
type Service = RouterOutputs['catalog']['myServices'][number];

const MODEL_HEADINGS: Record<string, string> = {
  domain_provisioning: 'Email domains',
  mailbox_provisioning: 'Mailboxes',
  data_bundle: 'Mobile data',
  saas_multitenant: 'Cloud apps',
  saas_singletenant: 'Dedicated instances',
  self_hosted_license: 'Software licences',
  self_hosted_download: 'Downloads',
  managed_setup: 'Done for you',
  hybrid: 'Self-hosted or managed',
  billing_service: 'Services',
};

function ProductCard({ product, owned }: { product: Product; owned: Service | undefined }) {
  return (
    <li className="card">
      <h3>{product.name}</h3>
      <p>{product.description}</p>
      <p className="muted">You receive: {product.deliverySummary}</p>
      <p className="price">
        {formatMoney(product.priceMinor, product.currency)}
        {product.billingInterval ? ` / ${product.billingInterval}` : ''}
      </p>
      {owned ? (
        // Seed 004: one per account: the service the customer has is managed, not bought again.
        <>
          <p className="muted">You have this: order {owned.orderCode}.</p>
          <Link className="button" to={owned.manageUrl} aria-label={`Manage or upgrade ${product.name}`}>
            Manage / Upgrade
          </Link>
        </>
      ) : (
        <Link className="button" to={`/order/${product.slug}`} aria-label={`Order ${product.name}`}>
          Order
        </Link>
      )}
    </li>
  );
}

export function CatalogPage() {
  const trpc = useTRPC();
  const { user } = useSession();
  // Seed 004: a signed-in customer sees what their account may order; a visitor the public catalog.
  const publicList = useQuery({ ...trpc.catalog.list.queryOptions(), enabled: !user });
  const personalized = useQuery({ ...trpc.catalog.personalized.queryOptions(), enabled: Boolean(user) });
  const shown = user ? personalized : publicList;
  const list = user ? personalized.data?.products : publicList.data;
  const note = user ? (personalized.data?.note ?? null) : null;
  const services = useQuery({ ...trpc.catalog.myServices.queryOptions(), enabled: Boolean(user) });
  const ownedOf = (product: Product) =>
    product.rules.onePerAccount
      ? services.data?.find((service) => service.serviceKind === product.rules.serviceKind)
      : undefined;

  if (shown.isError) {
    return <ErrorNotice retry={() => shown.refetch()}>{describeProblem(shown.error).message}</ErrorNotice>;
  }
  if (!list) return <Loading what="the catalog" />;
  if (list.length === 0) return <Empty>No products are on sale right now.</Empty>;
  const groups = new Map<string, Product[]>();
  for (const product of list)
    groups.set(product.deliveryModel, [...(groups.get(product.deliveryModel) ?? []), product]);

  return (
    <>
      <header className="page-header">
        <h1>Handover</h1>
        <p>Digital goods and services, delivered the moment you pay, with every step in view.</p>
      </header>
      {note ? (
        <p className="notice" role="status">
          {note}
        </p>
      ) : null}
      {[...groups.entries()].map(([model, list]) => (
        <section key={model} aria-labelledby={`group-${model}`}>
          <h2 id={`group-${model}`}>{MODEL_HEADINGS[model] ?? model}</h2>
          <ul className="catalog">
            {list.map((product) => (
              <ProductCard key={product.id} product={product} owned={ownedOf(product)} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
