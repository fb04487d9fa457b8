import { useDataProvider, usePermissions } from 'react-admin';
import type { BackOfficeDataProvider } from './dataProvider';

/** What each staff role may do. The server decides; these only keep refused actions out of sight. */
export const may = {
  /** Retry, cancel, re-run, manual tasks, inventory import, acknowledging alerts. */
  operate: (role: unknown) => role === 'ops' || role === 'admin',
  /** Refunding an order's payment, to the gateway or the wallet. */
  refund: (role: unknown) => role === 'finance' || role === 'admin',
  /** Products, users and roles, and revealing an inventory password. */
  administer: (role: unknown) => role === 'admin',
  /** Finance reports and their downloads. */
  report: (role: unknown) => role === 'finance' || role === 'admin',
};

/** The signed-in staff member's role (react-admin's permissions). */
export function useRole(): string | undefined {
  const { permissions } = usePermissions<string>();
  return permissions;
}

/** The data provider with the back office's actions (retry, import, ...). */
export function useBackOffice(): BackOfficeDataProvider {
  return useDataProvider<BackOfficeDataProvider>();
}
