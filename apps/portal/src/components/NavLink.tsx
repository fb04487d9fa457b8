import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';

/** A menu link that says when it is the page shown: `aria-current="page"` and the `active` class. */
export function NavLink({ to, end = false, children }: { to: string; end?: boolean; children: ReactNode }) {
  const [path] = useLocation();
  const active = end ? path === to : path === to || path.startsWith(`${to}/`);
  return (
    <Link to={to} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}
