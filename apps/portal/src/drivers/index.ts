import { useQuery } from '@tanstack/react-query';
import type { AnyDriverViews } from './types';

/**
 * The portal's views of each driver, by driver id: one line per driver, each a folder beside
 * this file. A driver's code is loaded when a page first needs it, so the first page load does
 * not grow with the number of drivers.
 */
const DRIVER_VIEWS: Record<string, () => Promise<{ views: AnyDriverViews }>> = {
  'data-bundle': () => import('./data-bundle'),
  esim: () => import('./esim'),
  'esim-top-up': () => import('./esim-top-up'),
  download: () => import('./download'),
  hybrid: () => import('./hybrid'),
  license: () => import('./license'),
  'm365-domain': () => import('./m365-domain'),
  manual: () => import('./manual'),
  'private-smtp': () => import('./private-smtp'),
  'saas-multitenant': () => import('./saas-multitenant'),
  'saas-singletenant': () => import('./saas-singletenant'),
  whmcs: () => import('./whmcs'),
};

/** Whether the portal has views for `driver` (a product of another driver cannot be ordered here). */
export const hasDriverViews = (driver: string): boolean => driver in DRIVER_VIEWS;

/** The views of `driver`, loading them the first time; `data` is null for a driver the portal does not know. */
export function useDriverViews(driver: string) {
  return useQuery({
    queryKey: ['driver-views', driver],
    queryFn: async (): Promise<AnyDriverViews | null> => {
      const load = DRIVER_VIEWS[driver];
      return load ? (await load()).views : null;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
}
