import { createIntegrationsHandler } from '../../src/server/index.js';
import { BASE_PATH, type LoopbackServer, startLoopback } from './helpers.js';
import { describeClientRoutes } from './route-suite.js';

let loopback: LoopbackServer | undefined;

describeClientRoutes('client over loopback HTTP', {
  async start(options) {
    loopback = await startLoopback(createIntegrationsHandler({ ...options, basePath: BASE_PATH }));

    return `${loopback.origin}${BASE_PATH}`;
  },
  async stop() {
    await loopback?.close();
    loopback = undefined;
  },
});
