/**
 * The zod schemas of each route's body and successful response. Only the server, the mocks and
 * the OpenAPI builder import this module, so the client stays free of zod.
 *
 * @module
 */
import type { z } from 'zod';
import type { RouteName } from './routes.js';
import {
  EmptyBodySchema,
  IntegrationCreateSchema,
  IntegrationListSchema,
  IntegrationSchema,
  IntegrationUpdateSchema,
  ResourceCreateBaseSchema,
  ResourceListSchema,
  ResourceSchema,
  ResourceUpdateBaseSchema,
} from './schemas.js';

/** Schemas of one route. */
export interface RouteSchemas {
  /** The JSON body, for routes that take one. */
  readonly body?: z.ZodType;
  /** The body of a successful response. */
  readonly response: z.ZodType;
}

/** Body and response schemas of every route, keyed like `routes`. */
export const routeSchemas: Readonly<Record<RouteName, RouteSchemas>> = {
  listIntegrations: { response: IntegrationListSchema },
  getIntegration: { response: IntegrationSchema },
  listResources: { response: ResourceListSchema },
  getResource: { response: ResourceSchema },
  addIntegration: { body: IntegrationCreateSchema, response: IntegrationSchema },
  updateIntegration: { body: IntegrationUpdateSchema, response: IntegrationSchema },
  addResource: { body: ResourceCreateBaseSchema, response: ResourceSchema },
  updateResource: { body: ResourceUpdateBaseSchema, response: ResourceSchema },
  removeResource: { response: EmptyBodySchema },
  removeIntegration: { response: EmptyBodySchema },
};
