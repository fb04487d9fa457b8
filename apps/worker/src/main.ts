import { ConfigError } from '@handover/core';
import { buildDrivers, buildNameserverResolver } from '@handover/integrations';
import { runWorkerProcess } from './process';

runWorkerProcess(process.env, {
  drivers: () => buildDrivers(process.env, 'worker'),
  nameserverResolver: () => buildNameserverResolver(process.env, 'worker'),
}).catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
