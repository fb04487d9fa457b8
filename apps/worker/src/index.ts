export { loadWorkerConfig, type WorkerConfig } from './config';
export { runWorkerProcess, type WorkerProcessOptions } from './process';
export { createEnginePool, createNodeId, type RunningWorker, startWorker } from './runner';
export { buildTaskList, type TaskDeps } from './tasks';
