import type { DataProvider, GetListParams, RaRecord } from 'react-admin';
import type { Api } from './api';

/** How one react-admin resource reads through the API. */
interface ResourceApi {
  list(params: GetListParams): Promise<{ data: RaRecord[]; total: number }>;
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
    getOne: (resource) => unsupported('getOne', resource),
    getMany: (resource) => unsupported('getMany', resource),
    getManyReference: (resource) => unsupported('getManyReference', resource),
    create: (resource) => unsupported('create', resource),
    update: (resource) => unsupported('update', resource),
    updateMany: (resource) => unsupported('updateMany', resource),
    delete: (resource) => unsupported('delete', resource),
    deleteMany: (resource) => unsupported('deleteMany', resource),
  } as DataProvider;
}
