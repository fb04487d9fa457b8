import { useQuery } from '@tanstack/react-query';
import type { AdminDriverViews } from './types';

/**
 * The back office's views of each driver, by driver id: one line per driver, each a folder
 * beside this file, loaded when a page first needs it. A driver without an entry is shown
 * with the generic views (its config form drawn from its schema, its result as JSON).
 */
const DRIVER_VIEWS: Record<string, () => Promise<{ views: AdminDriverViews }>> = {
  'data-bundle': () => import('./data-bundle'),
  esim: () => import('./esim'),
  'm365-domain': () => import('./m365-domain'),
  manual: () => import('./manual'),
  'private-smtp': () => import('./private-smtp'),
};

/** The back-office views of `driver`; `data` is null for a driver with none of its own. */
export function useAdminDriverViews(driver: string | undefined) {
  return useQuery({
    queryKey: ['admin-driver-views', driver],
    queryFn: async (): Promise<AdminDriverViews | null> => {
      const load = driver ? DRIVER_VIEWS[driver] : undefined;
      return load ? (await load()).views : null;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}
