import type { TaskList } from 'graphile-worker';

export type TaskDeps = Record<string, never>;

/** One task per file in this folder, named as its identifier. */
export function buildTaskList(_deps: TaskDeps): TaskList {
  return {};
}
