import { StrictMode } from 'react';
import { Admin, Resource } from 'react-admin';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { createAuthProvider } from './authProvider';
import { Dashboard } from './dashboard/Dashboard';
import { createDataProvider } from './dataProvider';
import { products } from './resources/products';
import { users } from './resources/users';

const dataProvider = createDataProvider(api);
const authProvider = createAuthProvider(api);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Admin dataProvider={dataProvider} authProvider={authProvider} requireAuth dashboard={Dashboard} title="Handover">
      {(role: string) => (
        <>
          <Resource {...products} />
          {role === 'admin' && <Resource {...users} />}
        </>
      )}
    </Admin>
  </StrictMode>,
);
