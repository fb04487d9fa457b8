import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { useResetSession, useSession } from '../account/useSession';
import { useNavigate } from '../navigation';
import { useTRPC } from '../trpc';
import { NavLink } from './NavLink';

function NotificationsLink() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.notifications.list.queryOptions({}), refetchInterval: 30_000 });
  const unread = list.data?.unread ?? 0;
  return (
    <NavLink to="/notifications">
      Notifications
      {unread > 0 ? (
        <span className="badge">
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      ) : null}
    </NavLink>
  );
}

/**
 * Seed 003 §7.1 "conditional tabs by purchased product mix": Products and Subscriptions show only
 * to a customer who owns something of that kind.
 */
function OwnedLinks() {
  const trpc = useTRPC();
  const kinds = useQuery({ ...trpc.products.kinds.queryOptions(), refetchInterval: 60_000 });
  const subscriptions = useQuery({ ...trpc.subscriptions.count.queryOptions(), refetchInterval: 60_000 });
  const owned = kinds.data ? Object.values(kinds.data).some((n) => n > 0) : false;
  return (
    <>
      {owned ? <NavLink to="/products">Products</NavLink> : null}
      {subscriptions.data ? <NavLink to="/subscriptions">Subscriptions</NavLink> : null}
    </>
  );
}

/**
 * Seed 004: "Billing" shows only where a billing system (WHMCS) is set up and bills this customer
 * (their client there exists); elsewhere there is nothing behind it.
 */
function BillingLink() {
  const trpc = useTRPC();
  const navigation = useQuery({ ...trpc.billing.navigation.queryOptions(), refetchInterval: 60_000 });
  return navigation.data?.showBilling ? <NavLink to="/billing">Billing</NavLink> : null;
}

/** Where to reach people, on every page (the server's SUPPORT_EMAIL). */
function SupportContact() {
  const trpc = useTRPC();
  const support = useQuery({ ...trpc.system.support.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
  const email = support.data?.email;
  return email ? (
    <footer className="site-footer">
      Need help? Write to <a href={`mailto:${email}`}>{email}</a>.
    </footer>
  ) : null;
}

export function Layout({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const reset = useResetSession();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSettled: async () => {
        await reset();
        navigate('/');
      },
    }),
  );

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Handover
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Catalog
          </NavLink>
          <NavLink to="/packages">Data</NavLink>
          {user ? (
            <>
              <NavLink to="/orders">My orders</NavLink>
              <OwnedLinks />
              <BillingLink />
              <NavLink to="/wallet">Wallet</NavLink>
              <NotificationsLink />
              <NavLink to="/account">Account</NavLink>
              <button type="button" className="link-button" onClick={() => signOut.mutate()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/sign-in">Sign in</NavLink>
              <NavLink to="/sign-up">Create account</NavLink>
            </>
          )}
        </nav>
      </header>
      <main id="main" className="page">
        {children}
      </main>
      <SupportContact />
    </>
  );
}
