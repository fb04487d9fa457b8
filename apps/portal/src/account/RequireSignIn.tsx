import type { ReactNode } from 'react';
import { Redirect, useLocation, useSearch } from 'wouter';
import { ErrorNotice, Loading } from '../components/Notice';
import { useSession } from './useSession';

/** Pages for signed-in customers: others are sent to sign in and brought back after. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const [path] = useLocation();
  const search = useSearch();
  if (session.isPending) return <Loading what="your account" />;
  if (session.isError) return <ErrorNotice>We could not check your sign-in. Please reload the page.</ErrorNotice>;
  if (!session.user) {
    const next = encodeURIComponent(path + (search ? `?${search}` : ''));
    return <Redirect to={`/sign-in?next=${next}`} replace />;
  }
  return <>{children}</>;
}
