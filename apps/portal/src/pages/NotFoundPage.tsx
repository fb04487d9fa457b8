import { Link } from 'wouter';

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        This address does not lead anywhere. <Link to="/">Go to the catalog</Link> or{' '}
        <Link to="/orders">your orders</Link>.
      </p>
    </section>
  );
}
