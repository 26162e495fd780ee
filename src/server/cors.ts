import { cors } from 'itty-router';
import type { CorsSettings } from './options.js';

const ALLOW_METHODS = ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'];
const ALLOW_HEADERS = ['Content-Type', 'Authorization', 'If-Match'];
const EXPOSE_HEADERS = ['ETag', 'Allow'];

const preflights = new WeakMap<CorsSettings, ReturnType<typeof cors>['preflight']>();

/** Answers a CORS preflight (an OPTIONS request) through itty-router's `cors`, or returns undefined. */
export function preflightResponse(request: Request, settings: CorsSettings): Response | undefined {
  let preflight = preflights.get(settings);
  if (preflight === undefined) {
    preflight = cors({
      origin: [...settings.origins],
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
 * Adds the CORS headers to a response for an allowed origin. This does not use itty-router's
 * `corsify`, because corsify in itty-router 6.0.0 rebuilds the response without its status.
 */
export function applyCors(response: Response, request: Request, settings: CorsSettings): Response {
  const origin = request.headers.get('origin');
  const headers = new Headers(response.headers);
  headers.append('vary', 'Origin');
  if (origin !== null && (settings.origins.includes(origin) || settings.origins.includes('*'))) {
    headers.set('access-control-allow-origin', settings.origins.includes(origin) ? origin : '*');
    headers.set('access-control-expose-headers', EXPOSE_HEADERS.join(','));
    if (settings.credentials === true) headers.set('access-control-allow-credentials', 'true');
  }

  return new Response(response.body, { status: response.status, headers });
}
