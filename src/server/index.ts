export { createIntegrationsHandler, type IntegrationsHandler } from './handler.js';
export {
  type AuthorizeRequest,
  type CorsSettings,
  consoleLogger,
  type IntegrationsHandlerOptions,
  type Logger,
} from './options.js';
export { MAX_ID_BYTES } from './params.js';
