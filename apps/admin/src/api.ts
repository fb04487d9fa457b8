import type { AppRouter } from '@handover/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';

export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/trpc', transformer: superjson })],
});
export type Api = typeof api;
