import { apiTokensRouter } from './router/apiTokens';
import { authRouter } from './router/auth';
import { backOfficeRouter } from './router/backOffice';
import { billingRouter } from './router/billing';
import { catalogRouter } from './router/catalog';
import { checkoutRouter } from './router/checkout';
import { dataBundlesRouter } from './router/dataBundles';
import { esimRouter } from './router/esim';
import { mailboxesRouter } from './router/mailboxes';
import { notificationsRouter } from './router/notifications';
import { ordersRouter } from './router/orders';
import { paymentsRouter } from './router/payments';
import { productsRouter } from './router/products';
import { reportsRouter } from './router/reports';
import { subscriptionsRouter } from './router/subscriptions';
import { systemRouter } from './router/system';
import { testOrdersRouter } from './router/testOrders';
import { usersRouter } from './router/users';
import { walletRouter } from './router/wallet';
import { webhooksRouter } from './router/webhooks';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  apiTokens: apiTokensRouter,
  auth: authRouter,
  backOffice: backOfficeRouter,
  billing: billingRouter,
  catalog: catalogRouter,
  checkout: checkoutRouter,
  dataBundles: dataBundlesRouter,
  esim: esimRouter,
  mailboxes: mailboxesRouter,
  notifications: notificationsRouter,
  orders: ordersRouter,
  payments: paymentsRouter,
  products: productsRouter,
  reports: reportsRouter,
  subscriptions: subscriptionsRouter,
  system: systemRouter,
  testOrders: testOrdersRouter,
  users: usersRouter,
  wallet: walletRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
