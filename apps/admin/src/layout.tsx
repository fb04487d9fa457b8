import AssessmentIcon from '@mui/icons-material/Assessment';
import { AppBar, Layout, type LayoutProps, Logout, Menu, UserMenu, useGetIdentity } from 'react-admin';
import { useRowCheckboxLabels } from './lists/rowCheckboxLabels';
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

/** The user menu's button shows the staff member's name: its accessible name says the same. */
function StaffUserMenu() {
  const { identity } = useGetIdentity();
  return (
    <UserMenu label={identity?.fullName ? `${identity.fullName}: account menu` : 'Account menu'}>
      <Logout />
    </UserMenu>
  );
}

function StaffAppBar() {
  return <AppBar userMenu={<StaffUserMenu />} />;
}

/** react-admin's layout with a Reports entry for finance and admins. */
export function BackOfficeLayout(props: LayoutProps) {
  useRowCheckboxLabels();
  return <Layout {...props} menu={BackOfficeMenu} appBar={StaffAppBar} />;
}
