import { useQuery } from '@tanstack/react-query';
import { formatMoney } from '../money';
import { useTRPC } from '../trpc';

export function CatalogPage() {
  const trpc = useTRPC();
  const products = useQuery(trpc.catalog.list.queryOptions());

  return (
    <main className="page">
      <header className="page-header">
        <h1>Handover</h1>
        <p>Digital goods and services, delivered the moment you pay.</p>
      </header>
      {products.isPending && <p aria-live="polite">Loading the catalog…</p>}
      {products.isError && (
        <p role="alert" className="error">
          We could not load the catalog ({products.error.message}). Please try again in a moment.
        </p>
      )}
      {products.data && products.data.length === 0 && <p>No products are on sale right now.</p>}
      {products.data && products.data.length > 0 && (
        <ul className="catalog" aria-label="Products">
          {products.data.map((product) => (
            <li key={product.id} className="card">
              <h2>{product.name}</h2>
              <p>{product.description}</p>
              <p className="muted">{product.deliverySummary}</p>
              <p className="price">
                {formatMoney(product.priceMinor, product.currency)}
                {product.billingInterval ? ` / ${product.billingInterval}` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
