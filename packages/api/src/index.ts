import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from './root';

export { type AppRouter, appRouter, createCaller } from './root';
export type { Context, SessionCookie } from './trpc';

/** Procedure inputs by path, for the browser apps (e.g. `RouterInputs['users']['setRole']`). */
export type RouterInputs = inferRouterInputs<AppRouter>;
