import { useRole } from '../permissions';
import { ReportsPage } from '../reports/ReportsPage';
import { Dashboard } from './Dashboard';

/** The first page after sign-in: finance lands on its reports, everyone else on the operations dashboard. */
export function Landing() {
  return useRole() === 'finance' ? <ReportsPage /> : <Dashboard />;
}
