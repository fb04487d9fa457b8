import { authRouter } from './router/auth';
import { catalogRouter } from './router/catalog';
import { inventoryRouter } from './router/inventory';
import { notificationsRouter } from './router/notifications';
import { ordersRouter } from './router/orders';
import { systemRouter } from './router/system';
import { usersRouter } from './router/users';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  inventory: inventoryRouter,
  notifications: notificationsRouter,
  orders: ordersRouter,
  system: systemRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
