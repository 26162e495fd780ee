import type { IntegrationsError } from '../core/errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** Builds a JSON response from a body that is already serialized. */
export function jsonText(text: string, status: number, headers?: Record<string, string>): Response {
  return new Response(text, { status, headers: { 'content-type': JSON_TYPE, ...headers } });
}

/** Builds the problem-document response of an error. */
export function problemResponse(error: IntegrationsError, instance: string): Response {
  const headers: Record<string, string> = { 'content-type': PROBLEM_TYPE };
  const allow = (error as { allow?: readonly string[] }).allow;
  if (allow !== undefined) headers.allow = allow.join(', ');

  return new Response(JSON.stringify(error.toProblem(instance)), {
    status: error.status,
    headers,
  });
}

/**
 * Computes a strong ETag from a serialized body: 32-bit FNV-1a over its UTF-16 code units plus the
 * length, which is cheap and synchronous on every runtime. It tells versions apart for `If-Match`,
 * not adversarial collisions.
 */
export function etagOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }

  return `"${(hash >>> 0).toString(36)}-${text.length.toString(36)}"`;
}

/** Tells whether an `If-Match` header value accepts the current ETag. */
export function ifMatchAccepts(header: string, current: string): boolean {
  if (header.trim() === '*') return true;

  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === current);
}
