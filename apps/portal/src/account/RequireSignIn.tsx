import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorNotice, Loading } from '../components/Notice';
import { useSession } from './useSession';

/** Pages for signed-in customers: others are sent to sign in and brought back after. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading what="your account" />;
  if (session.isError) return <ErrorNotice>We could not check your sign-in. Please reload the page.</ErrorNotice>;
  if (!session.user) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return <>{children}</>;
}
