import { authRouter } from './router/auth';
import { backOfficeRouter } from './router/backOffice';
import { catalogRouter } from './router/catalog';
import { checkoutRouter } from './router/checkout';
import { dataBundlesRouter } from './router/dataBundles';
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
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  backOffice: backOfficeRouter,
  catalog: catalogRouter,
  checkout: checkoutRouter,
  dataBundles: dataBundlesRouter,
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
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
