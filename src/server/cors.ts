import { cors } from 'itty-router';
import type { CorsSettings } from './options.js';

const ALLOW_METHODS = ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'];
const ALLOW_HEADERS = ['Content-Type', 'Authorization', 'If-Match'];
const EXPOSE_HEADERS = ['ETag', 'Allow'];

const preflights = new WeakMap<CorsSettings, ReturnType<typeof cors>['preflight']>();

/** Returns the response to a CORS preflight (an OPTIONS request) through itty-router's `cors`, or returns undefined. */
export function preflightResponse(request: Request, settings: CorsSettings): Response | undefined {
  let preflight = preflights.get(settings);
  if (preflight === undefined) {
    preflight = cors({
      origin: (origin) => allowedOrigin(origin, settings),
      allowMethods: ALLOW_METHODS,
      allowHeaders: ALLOW_HEADERS,
      exposeHeaders: EXPOSE_HEADERS,
      maxAge: settings.maxAge ?? 600,
      ...(settings.credentials === true ? { credentials: true as const } : {}),
    }).preflight;
    preflights.set(settings, preflight);
  }
  const response = preflight(request);
  if (response === undefined) return undefined;

  const headers = new Headers(response.headers);
  headers.append('vary', 'Origin');

  return new Response(null, { status: 204, headers });
}

/**
 * Adds the CORS headers to a response for an allowed origin. It does not use itty-router's
 * `corsify`, which in itty-router 5.0.24 sends no `Vary: Origin` and no exposed headers.
 */
export function applyCors(response: Response, request: Request, settings: CorsSettings): Response {
  const allowed = allowedOrigin(request.headers.get('origin'), settings);
  const headers = new Headers(response.headers);
  headers.append('vary', 'Origin');
  if (allowed !== undefined) {
    headers.set('access-control-allow-origin', allowed);
    headers.set('access-control-expose-headers', EXPOSE_HEADERS.join(','));
    if (settings.credentials === true) headers.set('access-control-allow-credentials', 'true');
  }

  return new Response(response.body, { status: response.status, headers });
}

/**
 * Returns the `Access-Control-Allow-Origin` value for a request's origin: the origin itself when
 * listed, `*` when the list contains `*`, otherwise undefined. Preflights and responses share it,
 * because itty-router's `cors` compares an origin list literally and so never matches `*`.
 */
function allowedOrigin(
  origin: string | null | undefined,
  settings: CorsSettings,
): string | undefined {
  if (origin === null || origin === undefined) return undefined;
  if (settings.origins.includes(origin)) return origin;
  if (settings.origins.includes('*')) return '*';

  return undefined;
}
