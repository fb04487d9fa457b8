import AssessmentIcon from '@mui/icons-material/Assessment';
import { Layout, type LayoutProps, Menu } from 'react-admin';
import { may, useRole } from './permissions';

function BackOfficeMenu() {
  const role = useRole();
  return (
    <Menu>
      <Menu.DashboardItem />
      {may.report(role) && <Menu.Item to="/reports" primaryText="Reports" leftIcon={<AssessmentIcon />} />}
      <Menu.ResourceItems />
    </Menu>
  );
}

/** react-admin's layout with a Reports entry for finance and admins. */
export function BackOfficeLayout(props: LayoutProps) {
  return <Layout {...props} menu={BackOfficeMenu} />;
}
