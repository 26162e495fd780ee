import type { IntegrationContext } from '../core/context.js';
import { PreconditionFailedError, ResourceNotFoundError, ValidationError } from '../core/errors.js';
import type { CallOptions } from '../core/provider.js';
import type { RouteDefinition } from '../core/route-definitions.js';
import { RESOURCE_TYPE_WILDCARDS } from '../core/schemas.js';
import type { RouteIds } from './params.js';
import { etagOf, ifMatchAccepts, jsonText } from './responses.js';

/** Everything a route needs once the request has been checked. */
export interface RouteCall {
  route: RouteDefinition;
  context: IntegrationContext;
  ids: RouteIds;
  body: Record<string, unknown> | undefined;
  request: Request;
  callOptions: CallOptions;
}

type Body = Record<string, unknown>;

const EMPTY_OBJECT = '{}';

/** Calls the context method of a route and builds the success response. */
export async function executeRoute(call: RouteCall): Promise<Response> {
  const { route, context, ids, callOptions } = call;
  const integrationId = ids.integrationId!;
  const resourceId = ids.resourceId!;
  const body = call.body as Body;

  switch (route.operation) {
    case 'listIntegrations': {
      const integrations = await context.listIntegrations(callOptions);
      const providers = context.listProviders();

      return jsonText(JSON.stringify({ integrations, providers }), route.status);
    }
    case 'getIntegration':
      return versioned(await context.getIntegration(integrationId, callOptions), route.status);
    case 'listResources': {
      const type = specificType(ids.resourceType);
      const resources = await context.listResources(integrationId, type, callOptions);

      return jsonText(JSON.stringify({ resources }), route.status);
    }
    case 'getResource': {
      const resource = await context.getResource(integrationId, resourceId, callOptions);
      assertTypeMatches(resource, ids);

      return versioned(resource, route.status);
    }
    case 'addIntegration': {
      const { provider, ...payload } = body;
      if (typeof provider !== 'string' || provider === '') throw invalidProvider(provider, context);

      return versioned(await context.addIntegration(provider, payload, callOptions), route.status);
    }
    case 'updateIntegration': {
      await checkIfMatch(call, () => context.getIntegration(integrationId, callOptions));
      const updated = await context.updateIntegration(integrationId, body, callOptions);

      return versioned(updated, route.status);
    }
    case 'addResource': {
      const payload = withPathType(body, ids.resourceType);
      const created = await context.addResource(integrationId, payload, callOptions);

      return versioned(created, route.status);
    }
    case 'updateResource': {
      await checkIfMatch(call, () => context.getResource(integrationId, resourceId, callOptions));
      const payload = withPathType(body, ids.resourceType);
      const updated = await context.updateResource(integrationId, resourceId, payload, callOptions);

      return versioned(updated, route.status);
    }
    case 'removeResource': {
      const needsCurrent =
        specificType(ids.resourceType) !== undefined || call.request.headers.has('if-match');
      if (needsCurrent) {
        const current = await context.getResource(integrationId, resourceId, callOptions);
        assertTypeMatches(current, ids);
        await checkIfMatch(call, () => Promise.resolve(current));
      }
      await context.removeResource(integrationId, resourceId, callOptions);

      return jsonText(EMPTY_OBJECT, route.status);
    }
    case 'removeIntegration': {
      await checkIfMatch(call, () => context.getIntegration(integrationId, callOptions));
      await context.removeIntegration(integrationId, callOptions);

      return jsonText(EMPTY_OBJECT, route.status);
    }
  }
}

/** Describes a missing or non-string `provider` field, listing the providers that can create. */
function invalidProvider(provider: unknown, context: IntegrationContext): ValidationError {
  const writable = context
    .listProviders()
    .filter((info) => info.mutable)
    .map((info) => JSON.stringify(info.id));
  const choices =
    writable.length > 0
      ? `one of ${writable.join(', ')}`
      : "none of this session's providers can create";
  const problem =
    provider === undefined || provider === ''
      ? 'Missing field `provider`'
      : `Invalid field \`provider\` ${JSON.stringify(provider)}`;

  return new ValidationError(
    `${problem}: name the provider to create on as "<provider_type>:<slug>", ${choices}`,
    [{ path: 'provider', message: `Required: a provider id, ${choices}` }],
  );
}

/** Returns the path's resource type, or undefined for the wildcards `new`, `any` and `all`. */
function specificType(segment: string | undefined): string | undefined {
  return segment === undefined || RESOURCE_TYPE_WILDCARDS.has(segment) ? undefined : segment;
}

/** Builds a JSON response with the body's ETag, so that a later write can send `If-Match`. */
function versioned(value: unknown, status: number): Response {
  const text = JSON.stringify(value);

  return jsonText(text, status, { etag: etagOf(text) });
}

/** A resource read through a specific type segment must be of that type. */
function assertTypeMatches(resource: { resource_type: string }, ids: RouteIds): void {
  const type = specificType(ids.resourceType);
  if (type !== undefined && resource.resource_type !== type) {
    throw new ResourceNotFoundError(ids.integrationId!, ids.resourceId!);
  }
}

/**
 * Fills `resource_type` from the path when the body has none and the segment names a type. A
 * specific segment that contradicts the body is a validation error.
 */
function withPathType(body: Body, segment: string | undefined): Body {
  const type = specificType(segment);
  if (type === undefined) return body;
  if (body.resource_type === undefined) return { ...body, resource_type: type };
  if (body.resource_type !== type) {
    throw new ValidationError(
      `Field \`resource_type\` is ${JSON.stringify(body.resource_type)} but the path says "${type}"; make them agree or use "new" in the path`,
      [{ path: 'resource_type', message: `Expected "${type}", as in the path` }],
    );
  }

  return body;
}

async function checkIfMatch(call: RouteCall, readCurrent: () => Promise<unknown>): Promise<void> {
  const header = call.request.headers.get('if-match');
  if (header === null) return;

  const current = etagOf(JSON.stringify(await readCurrent()));
  if (!ifMatchAccepts(header, current)) throw new PreconditionFailedError(current);
}
