import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { RequireSignIn } from './account/RequireSignIn';
import { Layout } from './components/Layout';
import { AccountPage } from './pages/AccountPage';
import { CatalogPage } from './pages/CatalogPage';
import { CheckoutCancelledPage, CheckoutCompletePage } from './pages/CheckoutPages';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { OrderFormPage } from './pages/OrderFormPage';
import { OrderPage } from './pages/OrderPage';
import { OrdersPage } from './pages/OrdersPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SignInPage } from './pages/SignInPage';
import { SignUpPage } from './pages/SignUpPage';
import { createApiClient, createQueryClient, TRPCProvider } from './trpc';
import './styles.css';

const signedIn = (page: React.ReactNode) => <RequireSignIn>{page}</RequireSignIn>;

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <CatalogPage /> },
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/sign-up', element: <SignUpPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/order/:slug', element: <OrderFormPage /> },
      { path: '/checkout/complete', element: <CheckoutCompletePage /> },
      { path: '/checkout/cancelled', element: <CheckoutCancelledPage /> },
      { path: '/account', element: signedIn(<AccountPage />) },
      { path: '/orders', element: signedIn(<OrdersPage />) },
      { path: '/orders/:code', element: signedIn(<OrderPage />) },
      { path: '/notifications', element: signedIn(<NotificationsPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

function App() {
  const [queryClient] = useState(createQueryClient);
  const [apiClient] = useState(createApiClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={apiClient} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
