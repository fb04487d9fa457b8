export { loadWorkerConfig, type WorkerConfig } from './config';
export { createNodeId, type RunningWorker, startWorker } from './runner';
export { buildTaskList, type TaskDeps } from './tasks';
