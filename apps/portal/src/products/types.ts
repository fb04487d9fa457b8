import type { RouterOutputs } from '../trpc';

export type CustomerProducts = RouterOutputs['products']['mine'];
export type Workspace = CustomerProducts['workspaces'][number];
export type Installation = CustomerProducts['installations'][number];
export type License = CustomerProducts['licenses'][number];
export type Downloads = CustomerProducts['downloads'][number];
