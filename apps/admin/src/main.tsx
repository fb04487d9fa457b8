import { StrictMode } from 'react';
import { Admin, Resource } from 'react-admin';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { Dashboard } from './dashboard/Dashboard';
import { createDataProvider } from './dataProvider';
import { products } from './resources/products';

const dataProvider = createDataProvider(api);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Admin dataProvider={dataProvider} dashboard={Dashboard} title="Handover">
      <Resource {...products} />
    </Admin>
  </StrictMode>,
);
