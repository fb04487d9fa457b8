import type { RouterInputs } from '@handover/api';
import type { DataProvider, GetListParams, GetOneParams, RaRecord, UpdateParams } from 'react-admin';
import type { Api } from './api';

type UserRole = RouterInputs['users']['setRole']['role'];

/** How one react-admin resource reads and writes through the API. */
interface ResourceApi {
  list(params: GetListParams): Promise<{ data: RaRecord[]; total: number }>;
  getOne?(params: GetOneParams): Promise<{ data: RaRecord }>;
  update?(params: UpdateParams): Promise<{ data: RaRecord }>;
}

/** The one adapter between react-admin and the tRPC API: each resource maps to its procedures. */
export function createDataProvider(api: Api): DataProvider {
  const resources: Record<string, ResourceApi> = {
    products: {
      // The catalog is small and already sorted by the server; page it here.
      async list({ pagination }) {
        const all = await api.catalog.list.query();
        const page = pagination ?? { page: 1, perPage: 25 };
        const start = (page.page - 1) * page.perPage;
        return { data: all.slice(start, start + page.perPage), total: all.length };
      },
    },
    users: {
      async list({ pagination, filter }) {
        const { users, total } = await api.users.list.query({
          page: pagination?.page ?? 1,
          perPage: pagination?.perPage ?? 25,
          search: typeof filter?.q === 'string' ? filter.q : undefined,
          role: filter?.role as UserRole | undefined,
        });
        return { data: users, total };
      },
      async getOne({ id }) {
        return { data: await api.users.byId.query({ id: String(id) }) };
      },
      async update({ id, data }) {
        return { data: await api.users.setRole.mutate({ userId: String(id), role: data.role as UserRole }) };
      },
    },
  };

  const resourceApi = (resource: string): ResourceApi => {
    const found = resources[resource];
    if (!found) throw new Error(`The back office has no "${resource}" resource`);
    return found;
  };
  const unsupported = (action: string, resource: string) =>
    Promise.reject(new Error(`"${action}" is not available for ${resource}`));

  return {
    getList: (resource, params) => resourceApi(resource).list(params),
    getOne: (resource, params) => resourceApi(resource).getOne?.(params) ?? unsupported('getOne', resource),
    getMany: (resource) => unsupported('getMany', resource),
    getManyReference: (resource) => unsupported('getManyReference', resource),
    create: (resource) => unsupported('create', resource),
    update: (resource, params) => resourceApi(resource).update?.(params) ?? unsupported('update', resource),
    updateMany: (resource) => unsupported('updateMany', resource),
    delete: (resource) => unsupported('delete', resource),
    deleteMany: (resource) => unsupported('deleteMany', resource),
  } as DataProvider;
}
