export { createIntegrationsHandler, type IntegrationsHandler } from './handler.js';
export {
  createOpenApiDocument,
  type OpenApiDocument,
  type OpenApiDocumentOptions,
  type OpenApiOperation,
} from './openapi.js';
export type { JsonSchema } from './openapi-schemas.js';
export {
  type AuthorizeRequest,
  type CorsSettings,
  consoleLogger,
  type IntegrationsHandlerOptions,
  type Logger,
} from './options.js';
export { MAX_ID_BYTES } from './params.js';
