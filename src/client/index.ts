/**
 * `beaker-integrations/client`: a typed client of the integrations REST API on ky. It imports the
 * route table, which is plain data, and the core types, but no zod.
 *
 * @module
 */

export type { FieldError, ProblemDocument } from '../core/errors.js';
export type {
  Integration,
  IntegrationList,
  IntegrationUpdate,
  ProviderInfo,
  Resource,
} from '../core/schemas.js';
export { createIntegrationsClient, getEtag } from './client.js';
export {
  type FailedExchange,
  IntegrationsApiError,
  type IntegrationsApiErrorOf,
  isIntegrationsApiError,
  type PreconditionFailedProblem,
  type ProblemCode,
  ResponseValidationError,
} from './errors.js';
export type {
  ConditionalRequestOptions,
  IntegrationCreatePayload,
  IntegrationsClient,
  IntegrationsClientOptions,
  RequestOptions,
  ResourceCreatePayload,
  ResourceUpdatePayload,
  ResponseSchemas,
} from './types.js';
