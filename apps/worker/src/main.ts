import { ConfigError } from '@handover/core';
import { runWorkerProcess } from './process';

runWorkerProcess(process.env, { drivers: () => [] }).catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
