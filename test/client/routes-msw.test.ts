import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { createMockHandlers } from '../../src/client/mock.js';
import { BASE_PATH } from './helpers.js';
import { describeClientRoutes } from './route-suite.js';

const baseUrl = `http://integrations.test${BASE_PATH}`;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describeClientRoutes('client through msw handlers', {
  async start(options) {
    server.use(...createMockHandlers({ baseUrl, ...options }));

    return baseUrl;
  },
  async stop() {
    server.resetHandlers();
  },
});
