import type { AppRouter } from '@handover/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';

export type { AppRouter };

export interface HandoverClientOptions {
  /** The Handover server, e.g. `https://handover.example.com`. */
  url: string;
  /** Extra headers on every call (a session cookie, for example). */
  headers?: () => Record<string, string>;
  fetch?: typeof fetch;
}

/** A fully typed client for Handover's API: `client.catalog.list.query()`. */
export function createHandoverClient(options: HandoverClientOptions) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/$/, '')}/trpc`,
        transformer: superjson,
        headers: options.headers,
        fetch: options.fetch,
      }),
    ],
  });
}

export type HandoverClient = ReturnType<typeof createHandoverClient>;
