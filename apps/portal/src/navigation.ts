import { useLocation } from 'wouter';

/** Moves to another page of the portal: `navigate('/orders')`, or `{ replace: true }` to leave no history entry. */
export function useNavigate(): (to: string, options?: { replace?: boolean }) => void {
  return useLocation()[1];
}
