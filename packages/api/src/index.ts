export { type AppRouter, appRouter, createCaller } from './root';
export type { Context, SessionCookie } from './trpc';
