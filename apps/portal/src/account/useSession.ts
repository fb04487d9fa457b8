import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isUnauthorized } from '../errors';
import { useTRPC } from '../trpc';

/** The signed-in customer, `null` when signed out, `undefined` while it is being asked. */
export function useSession() {
  const trpc = useTRPC();
  const me = useQuery({
    ...trpc.auth.me.queryOptions(),
    retry: (count, error) => !isUnauthorized(error) && count < 2,
    staleTime: 60_000,
  });
  const user = me.isError && isUnauthorized(me.error) ? null : me.data;
  return { user, isPending: me.isPending, isError: me.isError && !isUnauthorized(me.error), error: me.error };
}

/** After signing in or out, everything cached for the previous person is dropped. */
export function useResetSession() {
  const queryClient = useQueryClient();
  return () => queryClient.resetQueries();
}
