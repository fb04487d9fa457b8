import { installHumanErrorMessages } from '@handover/contracts';
import { StrictMode } from 'react';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { createRoot } from 'react-dom/client';
import { Route } from 'react-router-dom';
import { api } from './api';
import { AcceptInvitePage } from './auth/AcceptInvitePage';
import { ForgotPasswordPage, ResetPasswordPage } from './auth/PasswordResetPages';
import { SignInPage } from './auth/SignInPage';
import { createAuthProvider } from './authProvider';
import { Landing } from './dashboard/Landing';
import { createDataProvider } from './dataProvider';
import { BackOfficeLayout } from './layout';
import { may } from './permissions';
import { queryClient } from './queryClient';
import { ReportsPage } from './reports/ReportsPage';
import { activity } from './resources/activity';
import { alerts } from './resources/alerts';
import { apiTokens } from './resources/api-tokens';
import { customers } from './resources/customers';
import { dataOrders } from './resources/data-orders';
import { domainTransfers } from './resources/domain-transfers';
import { fulfillmentLogs } from './resources/fulfillment-logs';
import { fulfillmentRecords } from './resources/fulfillment-records';
import { inventoryItems } from './resources/inventory-items';
import { inventoryPools } from './resources/inventory-pools';
import { keyRing, keyRingForAdmins } from './resources/key-ring';
import { mailboxJobs } from './resources/mailbox-jobs';
import { orders } from './resources/orders';
import { products, productsForAdmins } from './resources/products';
import { quarantine } from './resources/quarantine';
import { reviews } from './resources/reviews';
import { subscriptions } from './resources/subscriptions';
import { tasks } from './resources/tasks';
import { users } from './resources/users';
import { webhooks } from './resources/webhooks';
import { backOfficeTheme } from './theme';

const dataProvider = createDataProvider(api);
const authProvider = createAuthProvider(api);

installHumanErrorMessages();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Admin
      dataProvider={dataProvider}
      authProvider={authProvider}
      requireAuth
      queryClient={queryClient}
      loginPage={SignInPage}
      theme={backOfficeTheme}
      dashboard={Landing}
      layout={BackOfficeLayout}
      title="Handover"
      // The back office sends nothing to third parties: react-admin's usage beacon stays off.
      disableTelemetry
    >
      {/* Open to anyone: a forgotten password's pages. */}
      <CustomRoutes noLayout>
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/accept-invite" element={<AcceptInvitePage />} />
      </CustomRoutes>
      {/* The menu follows the role; the server refuses the rest whatever the menu shows. */}
      {(role: string) => (
        <>
          <Resource {...orders} />
          <Resource {...customers} />
          <Resource {...reviews} />
          <Resource {...fulfillmentRecords} />
          <Resource {...dataOrders} />
          <Resource {...subscriptions} />
          <Resource {...fulfillmentLogs} />
          {may.operate(role) && <Resource {...tasks} />}
          <Resource {...domainTransfers} />
          <Resource {...mailboxJobs} />
          <Resource {...inventoryPools} />
          {may.operate(role) && <Resource {...inventoryItems} />}
          {may.operate(role) && <Resource {...quarantine} />}
          <Resource {...(may.administer(role) ? productsForAdmins : products)} />
          <Resource {...(may.administer(role) ? keyRingForAdmins : keyRing)} />
          <Resource {...alerts} />
          <Resource {...activity} />
          {may.administer(role) && <Resource {...users} />}
          {may.administer(role) && <Resource {...apiTokens} />}
          {may.administer(role) && <Resource {...webhooks} />}
          {may.report(role) && (
            <CustomRoutes>
              <Route path="/reports" element={<ReportsPage />} />
            </CustomRoutes>
          )}
        </>
      )}
    </Admin>
  </StrictMode>,
);
