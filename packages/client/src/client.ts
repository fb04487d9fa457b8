import type { AppRouter, RouterInputs } from '@handover/api';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import { everyItem } from './pages.ts';
import { downloadReport, type ReportDownload, type ReportRequest } from './reports.ts';
import { resilientFetch, type TransportOptions } from './transport.ts';

export interface HandoverClientOptions extends TransportOptions {
  /** The Handover server, e.g. `https://handover.example.com`. */
  url: string;
  /** An API token (`hov_pat_…` or `hov_svc_…`), sent as `Authorization: Bearer`. */
  token?: string;
  /** More headers on every call. */
  headers?: () => Record<string, string>;
}

/** A list's filter without its cursor: what the iterate helpers take. */
type Filter<T> = Omit<NonNullable<T>, 'cursor'>;
type Inputs = RouterInputs;
type Output<P> = P extends { query: (...args: never[]) => Promise<infer R> } ? R : never;
type Item<P> = Output<P> extends { items: (infer I)[] } ? I : never;
type Router = TRPCClient<AppRouter>;

/** What the SDK adds to the procedures: iterate over keyset lists, and reports as streams. */
export interface HandoverHelpers {
  orders: {
    /** Your own orders, newest first (or `order: 'asc'`), every page. */
    iterate(filter?: Filter<Inputs['orders']['list']>): AsyncGenerator<Item<Router['orders']['list']>>;
  };
  backOffice: {
    orders: {
      iterate(
        filter?: Filter<Inputs['backOffice']['orders']['list']>,
      ): AsyncGenerator<Item<Router['backOffice']['orders']['list']>>;
    };
    fulfillment: {
      records: {
        iterate(
          filter?: Filter<Inputs['backOffice']['fulfillment']['records']>,
        ): AsyncGenerator<Item<Router['backOffice']['fulfillment']['records']>>;
      };
      logs: {
        iterate(
          filter?: Filter<Inputs['backOffice']['fulfillment']['logs']>,
        ): AsyncGenerator<Item<Router['backOffice']['fulfillment']['logs']>>;
      };
    };
    activity: {
      iterate(
        filter?: Filter<Inputs['backOffice']['activity']['list']>,
      ): AsyncGenerator<Item<Router['backOffice']['activity']['list']>>;
    };
  };
  reports: {
    /** A report (`revenue`, `refunds`, `fulfillment`, ...) as a stream of CSV or XLSX bytes. */
    download(name: string, request: ReportRequest, options?: { signal?: AbortSignal }): Promise<ReportDownload>;
  };
}

/** Every procedure of the AppRouter, typed end to end, with the helpers beside them. */
export type HandoverClient = Router & HandoverHelpers;

/** The most a keyset list gives per call. */
const PAGE = 200;

/**
 * A client for Handover's API: `client.orders.list.query({})`, `client.backOffice.fulfillment
 * .retry.mutate({ ids })`, and `for await (const order of client.orders.iterate())`. Each request
 * has a timeout, and one answered 429 or 503 is retried after the wait the server asks for.
 */
export function createHandoverClient(options: HandoverClientOptions): HandoverClient {
  const baseUrl = options.url.replace(/\/+$/, '');
  const http = resilientFetch(options);
  const headers = () => ({
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers?.(),
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({ url: `${baseUrl}/trpc`, transformer: superjson, headers, fetch: http, maxURLLength: 4000 }),
    ],
  });
  const bo = trpc.backOffice;
  const helpers: HandoverHelpers = {
    orders: {
      iterate: (filter = {}) => everyItem((cursor) => trpc.orders.list.query({ limit: PAGE, ...filter, cursor })),
    },
    backOffice: {
      orders: {
        iterate: (filter = {}) => everyItem((cursor) => bo.orders.list.query({ limit: PAGE, ...filter, cursor })),
      },
      fulfillment: {
        records: {
          iterate: (filter = {}) =>
            everyItem((cursor) => bo.fulfillment.records.query({ limit: PAGE, ...filter, cursor })),
        },
        logs: {
          iterate: (filter = {}) =>
            everyItem((cursor) => bo.fulfillment.logs.query({ limit: PAGE, ...filter, cursor })),
        },
      },
      activity: {
        iterate: (filter = {}) => everyItem((cursor) => bo.activity.list.query({ limit: PAGE, ...filter, cursor })),
      },
    },
    reports: {
      download: (name, request, { signal } = {}) => downloadReport(http, baseUrl, headers, name, request, signal),
    },
  };
  return overlay(trpc, helpers) as HandoverClient;
}

/** The tRPC client's proxy, answering the helpers' names with the helpers. */
function overlay(target: object, extra: object): object {
  return new Proxy(target, {
    get(base, key) {
      const added = (extra as Record<PropertyKey, unknown>)[key];
      const original = Reflect.get(base, key);
      if (added === undefined) return original;
      if (typeof added === 'function') return added;
      return overlay(original as object, added as object);
    },
  });
}
