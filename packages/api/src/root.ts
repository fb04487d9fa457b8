import { authRouter } from './router/auth';
import { backOfficeRouter } from './router/backOffice';
import { catalogRouter } from './router/catalog';
import { notificationsRouter } from './router/notifications';
import { ordersRouter } from './router/orders';
import { systemRouter } from './router/system';
import { usersRouter } from './router/users';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  backOffice: backOfficeRouter,
  catalog: catalogRouter,
  notifications: notificationsRouter,
  orders: ordersRouter,
  system: systemRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
