import { authRouter } from './router/auth';
import { catalogRouter } from './router/catalog';
import { checkoutRouter } from './router/checkout';
import { inventoryRouter } from './router/inventory';
import { ordersRouter } from './router/orders';
import { paymentsRouter } from './router/payments';
import { systemRouter } from './router/system';
import { testOrdersRouter } from './router/testOrders';
import { usersRouter } from './router/users';
import { walletRouter } from './router/wallet';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  checkout: checkoutRouter,
  inventory: inventoryRouter,
  orders: ordersRouter,
  payments: paymentsRouter,
  system: systemRouter,
  testOrders: testOrdersRouter,
  users: usersRouter,
  wallet: walletRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
