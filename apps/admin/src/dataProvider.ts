import type { RouterInputs } from '@handover/api';
import { TRPCClientError } from '@trpc/client';
import {
  type CreateParams,
  type DataProvider,
  type GetListParams,
  type GetListResult,
  type GetOneParams,
  HttpError,
  type RaRecord,
  type UpdateParams,
} from 'react-admin';
import type { Api } from './api';
import { type FetchKeysetPage, KeysetPages } from './lists/keysetPages';

type Inputs = RouterInputs['backOffice'];
type UserRole = RouterInputs['users']['setRole']['role'];

/** How one react-admin resource reads and writes through the API. */
interface ResourceApi {
  list(params: GetListParams): Promise<GetListResult>;
  getOne?(params: GetOneParams): Promise<{ data: RaRecord }>;
  create?(params: CreateParams): Promise<{ data: RaRecord }>;
  update?(params: UpdateParams): Promise<{ data: RaRecord }>;
}

type ListName = Inputs['lists']['totals']['list'];
/** A date filter from a date input ('2026-11-20'): from the start of that day, or to its end. */
function day(value: unknown, edge: 'start' | 'end'): Date | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return new Date(`${value.slice(0, 10)}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}`);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

/** Filters every keyset list shares: the created-at range. */
function dateRange(filter: Record<string, unknown>) {
  return { createdFrom: day(filter.createdFrom, 'start'), createdTo: day(filter.createdTo, 'end') };
}

type Filter = Record<string, unknown>;

/**
 * Each exportable list's filter, from the list's filter form to what the API takes: the list
 * itself, its totals and its CSV export read the same one, so the file holds what the list shows.
 */
const LIST_FILTERS = {
  orders: (filter: Filter) => ({
    q: text(filter.q),
    status: filter.status as Inputs['orders']['list']['status'],
    fulfillmentStatus: filter.fulfillmentStatus as Inputs['orders']['list']['fulfillmentStatus'],
    ...dateRange(filter),
  }),
  'fulfillment-records': (filter: Filter) => ({
    driver: text(filter.driver),
    status: filter.status as Inputs['fulfillment']['records']['status'],
    subject: text(filter.subject),
    error: text(filter.error),
    orderId: text(filter.orderId),
    ...dateRange(filter),
  }),
  'fulfillment-logs': (filter: Filter) => ({
    driver: text(filter.driver),
    network: text(filter.network),
    status: filter.status as Inputs['fulfillment']['logs']['status'],
    kind: filter.kind as Inputs['fulfillment']['logs']['kind'],
    phoneNumber: text(filter.phoneNumber),
    subject: text(filter.subject),
    error: text(filter.error),
    recordId: text(filter.recordId),
    orderId: text(filter.orderId),
    ...dateRange(filter),
  }),
  activity: (filter: Filter) => ({
    action: text(filter.action),
    subjectType: text(filter.subjectType),
    subjectId: text(filter.subjectId),
    ...dateRange(filter),
  }),
  'inventory-items': (filter: Filter) => ({
    poolId: text(filter.poolId),
    status: filter.status as Inputs['inventory']['items']['status'],
    q: text(filter.q),
  }),
  subscriptions: (filter: Filter) => ({
    status: filter.status as Inputs['subscriptions']['list']['status'],
    gateway: filter.gateway as Inputs['subscriptions']['list']['gateway'],
    q: text(filter.q),
  }),
  customers: (filter: Filter) => ({ q: text(filter.q), ...dateRange(filter) }),
} satisfies Record<ListName, (filter: Filter) => Record<string, unknown>>;

/** The lists that have totals and an export (the resource's name is the list's). */
export function isExportableList(resource: string): resource is ListName {
  return Object.hasOwn(LIST_FILTERS, resource);
}

/** The list's filter as text fields: left-out ones dropped, dates as ISO timestamps. */
function filterFields(list: ListName, filter: Filter): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(LIST_FILTERS[list](filter))) {
    if (value === undefined || value === null || value === '') continue;
    fields[name] = value instanceof Date ? value.toISOString() : String(value);
  }
  return fields;
}

/** Where the CSV of every row matching the list's current filter is downloaded from. */
export function listExportUrl(list: ListName, filter: Filter): string {
  const query = new URLSearchParams(filterFields(list, filter)).toString();
  return `/exports/${list}.csv${query ? `?${query}` : ''}`;
}

/**
 * The API's refusals as react-admin expects them: the HTTP status, and a field's errors under
 * body.errors so a form shows them beside the field (`fulfillmentConfig.slaHours`, say).
 */
function toHttpError(error: unknown): unknown {
  if (!(error instanceof TRPCClientError)) return error;
  const data = error.data as { httpStatus?: number; fieldErrors?: Record<string, string[]> | null } | undefined;
  const fieldErrors = data?.fieldErrors ?? null;
  const errors = fieldErrors
    ? Object.fromEntries(Object.entries(fieldErrors).map(([field, messages]) => [field, messages.join('; ')]))
    : null;
  return new HttpError(error.message, data?.httpStatus ?? 500, errors ? { errors } : null);
}

async function calling<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toHttpError(error);
  }
}

/** The one adapter between react-admin and the tRPC API: each resource maps to its procedures. */
export function createDataProvider(api: Api) {
  const keyset = new KeysetPages();
  const bo = api.backOffice;

  /** A list that pages by cursor: next/previous, and the planner's estimate instead of a count. */
  const keysetList =
    <T extends { id: string | number }>(
      resource: string,
      fetch: (filter: Record<string, unknown>, order: 'asc' | 'desc', limit: number) => FetchKeysetPage<T>,
    ) =>
    async ({ pagination, sort, filter = {} }: GetListParams): Promise<GetListResult> => {
      const page = pagination?.page ?? 1;
      const limit = pagination?.perPage ?? 25;
      const order = sort?.order === 'ASC' ? 'asc' : 'desc';
      const key = JSON.stringify([resource, filter, order, limit]);
      const { result, hasPreviousPage } = await keyset.page(key, page, fetch(filter, order, limit));
      return {
        data: result.items as unknown as RaRecord[],
        pageInfo: { hasNextPage: result.nextCursor !== null, hasPreviousPage },
        meta: { estimatedTotal: result.estimatedTotal },
      };
    };

  /** A small list the API returns whole: paged here. */
  const sliced = <T>(all: T[], pagination: GetListParams['pagination']) => {
    const { page, perPage } = pagination ?? { page: 1, perPage: 25 };
    return { data: all.slice((page - 1) * perPage, page * perPage) as unknown as RaRecord[], total: all.length };
  };

  const offset = (pagination: GetListParams['pagination']) => ({
    page: pagination?.page ?? 1,
    perPage: pagination?.perPage ?? 25,
  });

  const resources: Record<string, ResourceApi> = {
    orders: {
      list: keysetList(
        'orders',
        (filter, order, limit) => (cursor) =>
          bo.orders.list.query({
            cursor,
            order,
            limit,
            ...LIST_FILTERS.orders(filter),
          }),
      ),
      getOne: async ({ id }) => ({ data: await bo.orders.byId.query({ id: String(id) }) }),
    },
    customers: {
      list: keysetList(
        'customers',
        (filter, order, limit) => (cursor) =>
          bo.customers.list.query({ cursor, order, limit, ...LIST_FILTERS.customers(filter) }),
      ),
      getOne: async ({ id }) => ({ data: await bo.customers.byId.query({ id: String(id) }) }),
    },
    // Seed 004: orders awaiting review, oldest first (a short list, returned whole).
    reviews: {
      list: async ({ pagination }) => sliced(await bo.review.queue.query(), pagination),
    },
    'fulfillment-records': {
      list: keysetList(
        'fulfillment-records',
        (filter, order, limit) => (cursor) =>
          bo.fulfillment.records.query({
            cursor,
            order,
            limit,
            ...LIST_FILTERS['fulfillment-records'](filter),
          }),
      ),
      getOne: async ({ id }) => ({ data: await bo.fulfillment.record.query({ id: String(id) }) }),
    },
    'data-orders': {
      list: keysetList(
        'data-orders',
        (filter, order, limit) => (cursor) =>
          bo.dataBundles.orders.query({
            cursor,
            order,
            limit,
            network: filter.network as Inputs['dataBundles']['orders']['network'],
            status: filter.status as Inputs['dataBundles']['orders']['status'],
            phone: text(filter.phone),
            ...dateRange(filter),
          }),
      ),
    },
    'fulfillment-logs': {
      list: keysetList(
        'fulfillment-logs',
        (filter, order, limit) => (cursor) =>
          bo.fulfillment.logs.query({
            cursor,
            order,
            limit,
            ...LIST_FILTERS['fulfillment-logs'](filter),
          }),
      ),
      getOne: async ({ id }) => ({ data: await bo.fulfillment.log.query({ id: Number(id) }) }),
    },
    activity: {
      list: keysetList(
        'activity',
        (filter, order, limit) => (cursor) =>
          bo.activity.list.query({
            cursor,
            order,
            limit,
            ...LIST_FILTERS.activity(filter),
          }),
      ),
    },
    tasks: {
      async list({ pagination, filter = {} }) {
        const { items, total } = await bo.tasks.list.query({
          ...offset(pagination),
          status: filter.status as Inputs['tasks']['list']['status'],
          queue: text(filter.queue),
        });
        return { data: items, total };
      },
    },
    'inventory-pools': {
      list: async ({ pagination }) => sliced(await bo.inventory.pools.query(), pagination),
      getOne: async ({ id }) => ({ data: await bo.inventory.pool.query({ id: String(id) }) }),
      update: ({ id, data }) =>
        calling(async () => ({
          data: await bo.inventory.setThreshold.mutate({
            id: String(id),
            lowStockThreshold: Number(data.lowStockThreshold),
          }),
        })),
    },
    'inventory-items': {
      async list({ pagination, filter = {} }) {
        const { items, total } = await bo.inventory.items.query({
          ...offset(pagination),
          ...LIST_FILTERS['inventory-items'](filter),
        });
        return { data: items, total };
      },
    },
    products: {
      list: async ({ pagination, filter = {} }) =>
        sliced(
          await bo.products.list.query({
            q: text(filter.q),
            isActive: typeof filter.isActive === 'boolean' ? filter.isActive : undefined,
          }),
          pagination,
        ),
      getOne: async ({ id }) => ({ data: await bo.products.byId.query({ id: String(id) }) }),
      create: ({ data }) =>
        calling(async () => ({ data: await bo.products.create.mutate(data as Inputs['products']['create']) })),
      update: ({ id, data }) =>
        calling(async () => ({
          data: await bo.products.update.mutate({ ...(data as Inputs['products']['create']), id: String(id) }),
        })),
    },
    'domain-transfers': {
      async list({ pagination, filter = {} }) {
        const { items, total } = await bo.mailboxes.domainTransfers.query({
          ...offset(pagination),
          status: filter.status as Inputs['mailboxes']['domainTransfers']['status'],
          nameServerStatus: filter.nameServerStatus as Inputs['mailboxes']['domainTransfers']['nameServerStatus'],
          platform: filter.platform as Inputs['mailboxes']['domainTransfers']['platform'],
          domain: text(filter.domain),
          orderId: text(filter.orderId),
        });
        return { data: items, total };
      },
    },
    'mailbox-jobs': {
      async list({ pagination, filter = {} }) {
        const { items, total } = await bo.mailboxes.automations.query({
          ...offset(pagination),
          status: filter.status as Inputs['mailboxes']['automations']['status'],
          platform: filter.platform as Inputs['mailboxes']['automations']['platform'],
          domain: text(filter.domain),
          orderId: text(filter.orderId),
        });
        return { data: items, total };
      },
    },
    alerts: {
      async list({ pagination, filter = {} }) {
        const { items, total } = await bo.alerts.list.query({
          ...offset(pagination),
          type: text(filter.type),
          severity: filter.severity as Inputs['alerts']['list']['severity'],
          state: filter.state as Inputs['alerts']['list']['state'],
        });
        return { data: items, total };
      },
      getOne: async ({ id }) => ({ data: await bo.alerts.byId.query({ id: String(id) }) }),
    },
    // Quarantine: what failed rollbacks still hold, and ops' decisions on them.
    quarantine: {
      async list({ pagination, filter = {} }) {
        const { items, total } = await bo.quarantine.list.query({
          ...offset(pagination),
          status: filter.status as Inputs['quarantine']['list']['status'],
        });
        return { data: items, total };
      },
    },
    'api-tokens': {
      list: async ({ pagination, filter = {} }) =>
        sliced(await bo.apiTokens.list.query({ kind: filter.kind as Inputs['apiTokens']['list']['kind'] }), pagination),
    },
    webhooks: {
      list: async ({ pagination }) => sliced(await bo.webhooks.endpoints.query({}), pagination),
      getOne: async ({ id }) => {
        const found = (await bo.webhooks.endpoints.query({})).find((endpoint) => endpoint.id === String(id));
        if (!found) throw new HttpError('No such webhook endpoint', 404);
        return { data: found };
      },
    },
    subscriptions: {
      async list({ pagination, filter = {} }) {
        const { data, total } = await bo.subscriptions.list.query({
          ...offset(pagination),
          ...LIST_FILTERS.subscriptions(filter),
        });
        return { data, total };
      },
    },
    'key-ring': {
      list: async ({ pagination }) => sliced(await bo.keyRing.list.query(), pagination),
      // A shared secret (typed, or made here and shown once) or a licence signing key pair.
      create: ({ data }) =>
        calling(async () => {
          const { ref, description, kind, value } = data as {
            ref: string;
            description?: string;
            kind: 'hmac_secret' | 'ed25519_signing_key';
            value?: string;
          };
          return {
            data:
              kind === 'ed25519_signing_key'
                ? { ...(await bo.keyRing.createSigningKey.mutate({ ref, description })), secret: null }
                : await bo.keyRing.putSecret.mutate({ ref, description, value: text(value) }),
          };
        }),
    },
    users: {
      async list({ pagination, filter = {} }) {
        const { users, total } = await api.users.list.query({
          ...offset(pagination),
          search: text(filter.q),
          role: filter.role as UserRole | undefined,
        });
        return { data: users, total };
      },
      getOne: async ({ id }) => ({ data: await api.users.byId.query({ id: String(id) }) }),
      update: ({ id, data }) =>
        calling(async () => ({
          data: await api.users.setRole.mutate({ userId: String(id), role: data.role as UserRole }),
        })),
    },
  };

  const resourceApi = (resource: string): ResourceApi => {
    const found = resources[resource];
    if (!found) throw new Error(`The back office has no "${resource}" resource`);
    return found;
  };
  const unsupported = (action: string, resource: string) =>
    Promise.reject(new Error(`"${action}" is not available for ${resource}`));

  const crud = {
    getList: (resource: string, params: GetListParams) => calling(() => resourceApi(resource).list(params)),
    getOne: (resource: string, params: GetOneParams) => {
      const getOne = resourceApi(resource).getOne;
      return getOne ? calling(() => getOne(params)) : unsupported('getOne', resource);
    },
    getMany: (resource: string) => unsupported('getMany', resource),
    getManyReference: (resource: string) => unsupported('getManyReference', resource),
    create: (resource: string, params: CreateParams) =>
      resourceApi(resource).create?.(params) ?? unsupported('create', resource),
    update: (resource: string, params: UpdateParams) =>
      resourceApi(resource).update?.(params) ?? unsupported('update', resource),
    updateMany: (resource: string) => unsupported('updateMany', resource),
    delete: (resource: string) => unsupported('delete', resource),
    deleteMany: (resource: string) => unsupported('deleteMany', resource),
  } as DataProvider;

  // Actions that are not create/read/update: each is one procedure, called through here too.
  const actions = {
    retryRecords: (ids: string[]) => calling(() => bo.fulfillment.retry.mutate({ ids })),
    cancelRecords: (ids: string[], reason: string) => calling(() => bo.fulfillment.cancel.mutate({ ids, reason })),
    rerunFromStep: (id: string, step: string) => calling(() => bo.fulfillment.rerunFromStep.mutate({ id, step })),
    completeTask: (id: string, resolution: Record<string, unknown>) =>
      calling(() => bo.tasks.complete.mutate({ id, resolution })),
    previewImport: (poolSlug: string, csv: string) =>
      calling(() => bo.inventory.previewImport.mutate({ poolSlug, csv })),
    importInventory: (poolSlug: string, csv: string) => calling(() => bo.inventory.import.mutate({ poolSlug, csv })),
    revealSecret: (itemId: string) => calling(() => bo.inventory.revealSecret.mutate({ itemId })),
    releaseItem: (id: string) => calling(() => bo.inventory.release.mutate({ id })),
    retryMailboxWork: (target: Inputs['mailboxes']['retry']) => calling(() => bo.mailboxes.retry.mutate(target)),
    orderMailboxes: (orderId: string) => calling(() => bo.mailboxes.orderMailboxes.query({ orderId })),
    acknowledgeAlert: (id: string) => calling(() => bo.alerts.acknowledge.mutate({ id })),
    alertTypes: () => calling(() => bo.alerts.types.query()),
    drivers: () => calling(() => bo.products.drivers.query()),
    testConnection: (driver: string, config: Record<string, unknown>) =>
      calling(() => bo.products.testConnection.mutate({ driver, config })),
    checkConfig: (driver: string, config: Record<string, unknown>) =>
      calling(() => bo.products.checkConfig.query({ driver, config })),
    previewCheckout: (product: Inputs['products']['previewCheckout']) =>
      calling(() => bo.products.previewCheckout.query(product)),
    testGateway: (gateway: Inputs['products']['testGateway']['gateway']) =>
      calling(() => bo.products.testGateway.mutate({ gateway })),
    dashboard: () => calling(() => bo.dashboard.get.query()),
    resellerFloats: () => calling(() => bo.dataBundles.floats.query()),
    resumeHeldBundles: (network: Inputs['dataBundles']['resumeHeld']['network']) =>
      calling(() => bo.dataBundles.resumeHeld.mutate({ network })),
    orderPayments: (orderId: string) => calling(() => api.payments.forOrder.query({ orderId })),
    approveOrder: (input: Inputs['review']['approve']) => calling(() => bo.review.approve.mutate(input)),
    rejectOrder: (orderId: string, reason: string) => calling(() => bo.review.reject.mutate({ orderId, reason })),
    activateNow: (orderId: string) => calling(() => bo.review.activateNow.mutate({ orderId })),
    checkActivationNow: (orderId: string) => calling(() => bo.review.checkNow.mutate({ orderId })),
    esimProfiles: (recordId: string) => calling(() => bo.fulfillment.esimProfiles.query({ recordId })),
    refundOrder: (input: RouterInputs['payments']['refund']) => calling(() => api.payments.refund.mutate(input)),
    createServiceToken: (input: Inputs['apiTokens']['createService']) =>
      calling(() => bo.apiTokens.createService.mutate(input)),
    revokeToken: (id: string) => calling(() => bo.apiTokens.revoke.mutate({ id })),
    createWebhook: (input: RouterInputs['webhooks']['create']) => calling(() => api.webhooks.create.mutate(input)),
    setWebhookEnabled: (id: string, enabled: boolean) => calling(() => api.webhooks.setEnabled.mutate({ id, enabled })),
    rotateWebhookSecret: (id: string, overlapHours: number) =>
      calling(() => api.webhooks.rotateSecret.mutate({ id, overlapHours })),
    webhookDeliveries: (endpointId: string, cursor: string | null) =>
      calling(() => bo.webhooks.deliveries.query({ endpointId, cursor, limit: 25 })),
    webhookDelivery: (id: string) => calling(() => api.webhooks.delivery.query({ id })),
    redeliverWebhook: (id: string) => calling(() => api.webhooks.redeliver.mutate({ id })),
    billingAccounts: (userId: string) => calling(() => api.billing.accounts.query({ userId })),
    listTotals: (list: ListName, filter: Filter) =>
      calling(() => bo.lists.totals.query({ list, filter: filterFields(list, filter) })),
    retryQuarantined: (recordId: string) => calling(() => bo.quarantine.retryNow.mutate({ recordId })),
    resolveQuarantined: (input: Inputs['quarantine']['resolve']) => calling(() => bo.quarantine.resolve.mutate(input)),
    alertHistory: (id: string) => calling(() => bo.alerts.byId.query({ id })),
    addNote: (input: Inputs['notes']['add']) => calling(() => bo.notes.add.mutate(input)),
    orderMessages: (orderId: string) => calling(() => bo.orders.messages.query({ orderId })),
    resendMessage: (orderId: string, messageId: string) =>
      calling(() => bo.orders.resendMessage.mutate({ orderId, messageId })),
    sendMessageAgain: (orderId: string, messageId: string) =>
      calling(() => bo.orders.sendMessageAgain.mutate({ orderId, messageId })),
    inviteStaff: (input: RouterInputs['users']['invite']) => calling(() => api.users.invite.mutate(input)),
    staffInvites: () => calling(() => api.users.invites.query()),
    revokeInvite: (id: string) => calling(() => api.users.revokeInvite.mutate({ id })),
  };

  return { ...crud, ...actions };
}

export type BackOfficeDataProvider = ReturnType<typeof createDataProvider>;
