import { QueryClientProvider } from '@tanstack/react-query';
import { type ComponentType, lazy, StrictMode, Suspense, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Route, Switch } from 'wouter';
import { RequireSignIn } from './account/RequireSignIn';
import { Layout } from './components/Layout';
import { Loading } from './components/Notice';
import { CatalogPage } from './pages/CatalogPage';
import { createApiClient, createQueryClient, TRPCProvider } from './trpc';
import './styles.css';

// The catalog is the landing page and comes with the first load; every other page is loaded
// the first time it is visited, so the first load stays small as pages and drivers are added.
const page = (load: () => Promise<ComponentType>) => lazy(async () => ({ default: await load() }));
const SignInPage = page(() => import('./pages/SignInPage').then((m) => m.SignInPage));
const SignUpPage = page(() => import('./pages/SignUpPage').then((m) => m.SignUpPage));
const ForgotPasswordPage = page(() => import('./pages/ForgotPasswordPage').then((m) => m.ForgotPasswordPage));
const ResetPasswordPage = page(() => import('./pages/ResetPasswordPage').then((m) => m.ResetPasswordPage));
const VerifyEmailPage = page(() => import('./pages/VerifyEmailPage').then((m) => m.VerifyEmailPage));
const OrderFormPage = page(() => import('./pages/OrderFormPage').then((m) => m.OrderFormPage));
const CheckoutCompletePage = page(() => import('./pages/CheckoutPages').then((m) => m.CheckoutCompletePage));
const CheckoutCancelledPage = page(() => import('./pages/CheckoutPages').then((m) => m.CheckoutCancelledPage));
const NotFoundPage = page(() => import('./pages/NotFoundPage').then((m) => m.NotFoundPage));

/** A page for signed-in customers only. */
const signedIn = (load: () => Promise<ComponentType>) => {
  const Page = page(load);
  return () => (
    <RequireSignIn>
      <Page />
    </RequireSignIn>
  );
};
const AccountPage = signedIn(() => import('./pages/AccountPage').then((m) => m.AccountPage));
const WebhooksPage = signedIn(() => import('./developers/WebhooksPage').then((m) => m.WebhooksPage));
const OrdersPage = signedIn(() => import('./pages/OrdersPage').then((m) => m.OrdersPage));
const OrderPage = signedIn(() => import('./pages/OrderPage').then((m) => m.OrderPage));
const NotificationsPage = signedIn(() => import('./pages/NotificationsPage').then((m) => m.NotificationsPage));
const WalletPage = signedIn(() => import('./pages/WalletPage').then((m) => m.WalletPage));
const PackagesPage = page(() => import('./pages/PackagesPage').then((m) => m.PackagesPage));
const CustomersPage = signedIn(() => import('./pages/CustomersPage').then((m) => m.CustomersPage));
const ProductsPage = signedIn(() => import('./pages/ProductsPage').then((m) => m.ProductsPage));
const SubscriptionsPage = signedIn(() => import('./pages/SubscriptionsPage').then((m) => m.SubscriptionsPage));
const BillingPage = signedIn(() => import('./pages/BillingPage').then((m) => m.BillingPage));

function Pages() {
  return (
    <Layout>
      <Suspense fallback={<Loading what="the page" />}>
        <Switch>
          <Route path="/" component={CatalogPage} />
          <Route path="/sign-in" component={SignInPage} />
          <Route path="/sign-up" component={SignUpPage} />
          <Route path="/forgot-password" component={ForgotPasswordPage} />
          <Route path="/reset-password" component={ResetPasswordPage} />
          <Route path="/verify-email" component={VerifyEmailPage} />
          <Route path="/order/:slug" component={OrderFormPage} />
          <Route path="/checkout/complete" component={CheckoutCompletePage} />
          <Route path="/checkout/cancelled" component={CheckoutCancelledPage} />
          <Route path="/account" component={AccountPage} />
          <Route path="/account/webhooks" component={WebhooksPage} />
          <Route path="/orders" component={OrdersPage} />
          <Route path="/orders/:code" component={OrderPage} />
          <Route path="/notifications" component={NotificationsPage} />
          <Route path="/wallet" component={WalletPage} />
          <Route path="/packages" component={PackagesPage} />
          <Route path="/customers" component={CustomersPage} />
          <Route path="/products" component={ProductsPage} />
          <Route path="/subscriptions" component={SubscriptionsPage} />
          <Route path="/billing" component={BillingPage} />
          <Route component={NotFoundPage} />
        </Switch>
      </Suspense>
    </Layout>
  );
}

function App() {
  const [queryClient] = useState(createQueryClient);
  const [apiClient] = useState(createApiClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={apiClient} queryClient={queryClient}>
        <Pages />
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
