import { router } from '../../trpc';
import { activityRouter } from './activity';
import { alertsRouter } from './alerts';
import { apiTokensRouter } from './apiTokens';
import { customersRouter } from './customers';
import { dashboardRouter } from './dashboard';
import { dataBundlesRouter } from './dataBundles';
import { fulfillmentRouter } from './fulfillment';
import { inventoryRouter } from './inventory';
import { keyRingRouter } from './keyRing';
import { listsRouter } from './lists';
import { mailboxesRouter } from './mailboxes';
import { notesRouter } from './notes';
import { ordersRouter } from './orders';
import { productsRouter } from './products';
import { quarantineRouter } from './quarantine';
import { reviewRouter } from './review';
import { subscriptionsRouter } from './subscriptions';
import { tasksRouter } from './tasks';
import { webhooksRouter } from './webhooks';

/** The back office's procedures, one router per domain; each procedure's kind says which staff role may call it. */
export const backOfficeRouter = router({
  activity: activityRouter,
  apiTokens: apiTokensRouter,
  alerts: alertsRouter,
  customers: customersRouter,
  dashboard: dashboardRouter,
  dataBundles: dataBundlesRouter,
  fulfillment: fulfillmentRouter,
  inventory: inventoryRouter,
  keyRing: keyRingRouter,
  lists: listsRouter,
  mailboxes: mailboxesRouter,
  notes: notesRouter,
  orders: ordersRouter,
  products: productsRouter,
  quarantine: quarantineRouter,
  review: reviewRouter,
  subscriptions: subscriptionsRouter,
  tasks: tasksRouter,
  webhooks: webhooksRouter,
});
