import { MethodNotAllowedError } from '../core/errors.js';
import { createOpenApiDocument } from './openapi.js';
import { jsonText } from './responses.js';

/** Returns the OpenAPI document's response for a request to its path, or undefined otherwise. */
export type OpenApiEndpoint = (request: Request) => Response | undefined;

const ALLOW = ['GET', 'HEAD', 'OPTIONS'];

/**
 * Creates the endpoint that serves the OpenAPI document at `path` as JSON, on GET and HEAD. The
 * document is built on the first request and kept.
 *
 * @throws {TypeError} when `path` does not start with "/" or lies under `basePath`, where it would
 * shadow the session routes.
 */
export function createOpenApiEndpoint(path: string, basePath: string): OpenApiEndpoint {
  const documentPath = path.replace(/\/+$/, '');
  if (!documentPath.startsWith('/')) {
    throw new TypeError(
      `\`openApiPath\` must be an absolute path below "/", such as "/beaker/openapi.json", got "${path}"`,
    );
  }
  if (documentPath === basePath || documentPath.startsWith(`${basePath}/`)) {
    throw new TypeError(
      `\`openApiPath\` "${path}" lies under \`basePath\` "${basePath}", where session routes live; choose a path outside it, such as "/beaker/openapi.json"`,
    );
  }
  let text: string | undefined;

  return (request) => {
    // A substring test first, so that other requests skip parsing the URL here.
    if (!request.url.includes(documentPath)) return undefined;
    const pathname = new URL(request.url).pathname.replace(/\/+$/, '');
    if (pathname !== documentPath) return undefined;

    if (request.method === 'OPTIONS') {
      return new Response(null, { status: 204, headers: { allow: ALLOW.join(', ') } });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw new MethodNotAllowedError(request.method, ALLOW);
    }
    text ??= JSON.stringify(createOpenApiDocument({ basePath }));

    return jsonText(text, 200);
  };
}
