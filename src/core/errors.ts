/**
 * The error tree of beaker-integrations. Every error that the handler turns into a response is an
 * {@link IntegrationsError}: it carries the HTTP status, a stable machine-readable `code` and
 * converts itself to an RFC 9457 problem document.
 *
 * @module
 */

/** One failing field of a validation error: a dotted path into the body and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem document as the handler sends it, with this library's `code`. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Options shared by every error of this library. */
export interface IntegrationsErrorOptions {
  /** The original failure, kept for logs; never sent to clients. */
  cause?: unknown;
  /** Extra members of the problem document, such as the ids involved. */
  extensions?: Record<string, unknown>;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  504: 'Gateway Timeout',
};

/** Prefix of the `type` URI of every problem document; the code follows it. */
export const PROBLEM_TYPE_PREFIX = 'urn:beaker-integrations:problem:';

/**
 * Base class of every error that beaker-integrations throws on purpose.
 *
 * @example
 * ```ts
 * throw new IntegrationsError(409, 'integration_exists', 'Integration "abc" already exists');
 * ```
 */
export class IntegrationsError extends Error {
  override name = 'IntegrationsError';
  /** HTTP status of the response that the handler sends for this error. */
  readonly status: number;
  /** Stable machine word, such as `integration_not_found`. */
  readonly code: string;
  /** Extra members of the problem document. */
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: IntegrationsErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.extensions = options.extensions ?? {};
  }

  /** Builds the RFC 9457 problem document that describes this error. */
  toProblem(instance?: string): ProblemDocument {
    const problem: ProblemDocument = {
      type: PROBLEM_TYPE_PREFIX + this.code,
      title: titles[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      code: this.code,
    };
    if (instance !== undefined) problem.instance = instance;
    for (const [key, value] of Object.entries(this.extensions)) {
      if (!Object.hasOwn(problem, key)) problem[key] = value;
    }

    return problem;
  }
}

/** An unknown session, integration, resource, provider or route (404). */
export class NotFoundError extends IntegrationsError {
  override name = 'NotFoundError';
}

/** Thrown when no context exists for a session id. */
export class SessionNotFoundError extends NotFoundError {
  override name = 'SessionNotFoundError';
  readonly sessionId: string;

  constructor(sessionId: string) {
    super(404, 'session_not_found', `Session "${sessionId}" was not found`, {
      extensions: { session_id: sessionId },
    });
    this.sessionId = sessionId;
  }
}

/** Thrown by providers and the context when no integration has the id. */
export class IntegrationNotFoundError extends NotFoundError {
  override name = 'IntegrationNotFoundError';
  readonly integrationId: string;

  constructor(integrationId: string) {
    super(404, 'integration_not_found', `Integration "${integrationId}" was not found`, {
      extensions: { integration_id: integrationId },
    });
    this.integrationId = integrationId;
  }
}

/** Thrown by providers when an integration has no resource with the id. */
export class ResourceNotFoundError extends NotFoundError {
  override name = 'ResourceNotFoundError';
  readonly integrationId: string;
  readonly resourceId: string;

  constructor(integrationId: string, resourceId: string) {
    super(
      404,
      'resource_not_found',
      `Resource "${resourceId}" was not found in integration "${integrationId}"`,
      { extensions: { integration_id: integrationId, resource_id: resourceId } },
    );
    this.integrationId = integrationId;
    this.resourceId = resourceId;
  }
}

/** Thrown when no provider of the context has the `<type>:<slug>` id. */
export class ProviderNotFoundError extends NotFoundError {
  override name = 'ProviderNotFoundError';
  readonly providerId: string;

  constructor(providerId: string, knownIds: readonly string[] = []) {
    const known = knownIds.length > 0 ? `; known providers: ${knownIds.join(', ')}` : '';
    super(404, 'provider_not_found', `Provider "${providerId}" was not found${known}`, {
      extensions: { provider_id: providerId },
    });
    this.providerId = providerId;
  }
}

/** Thrown when no route matches the request path. */
export class RouteNotFoundError extends NotFoundError {
  override name = 'RouteNotFoundError';

  constructor(method: string, path: string) {
    super(404, 'route_not_found', `No route matches ${method} ${path}`);
  }
}

/** A route exists for the path but not for the method (405, with the allowed methods). */
export class MethodNotAllowedError extends IntegrationsError {
  override name = 'MethodNotAllowedError';
  readonly allow: readonly string[];

  constructor(method: string, allow: readonly string[]) {
    super(
      405,
      'method_not_allowed',
      `Method ${method} is not allowed here; use ${allow.join(', ')}`,
    );
    this.allow = allow;
  }
}

/** A write was sent to a provider that only reads (405). */
export class ProviderReadOnlyError extends IntegrationsError {
  override name = 'ProviderReadOnlyError';
  readonly providerId: string;

  constructor(providerId: string, fix = 'write to a mutable provider') {
    super(405, 'provider_read_only', `Provider "${providerId}" is read-only; ${fix}`, {
      extensions: { provider_id: providerId },
    });
    this.providerId = providerId;
  }
}

/** A create used an id that is taken (409). */
export class ConflictError extends IntegrationsError {
  override name = 'ConflictError';
}

/** Thrown by providers when a new integration's uuid is taken. */
export class IntegrationExistsError extends ConflictError {
  override name = 'IntegrationExistsError';

  constructor(integrationId: string) {
    super(
      409,
      'integration_exists',
      `Integration "${integrationId}" already exists; omit \`uuid\` to have one generated`,
      { extensions: { integration_id: integrationId } },
    );
  }
}

/** Thrown by providers when a new resource's id is taken in its integration. */
export class ResourceExistsError extends ConflictError {
  override name = 'ResourceExistsError';

  constructor(integrationId: string, resourceId: string) {
    super(
      409,
      'resource_exists',
      `Resource "${resourceId}" already exists in integration "${integrationId}"; omit \`resource_id\` to have one generated`,
      { extensions: { integration_id: integrationId, resource_id: resourceId } },
    );
  }
}

/** The request itself is malformed: bad JSON, a body that is not an object, a bad path (400). */
export class BadRequestError extends IntegrationsError {
  override name = 'BadRequestError';
}

/** A body or a value failed its schema (422); `errors` lists every failing field. */
export class ValidationError extends IntegrationsError {
  override name = 'ValidationError';
  readonly errors: FieldError[];

  constructor(message: string, errors: FieldError[], options: IntegrationsErrorOptions = {}) {
    super(422, 'validation_failed', message, {
      ...options,
      extensions: { ...options.extensions, errors },
    });
    this.errors = errors;
  }
}

/** The `authorize` option denied the request (403 unless the denial carries its own status). */
export class ForbiddenError extends IntegrationsError {
  override name = 'ForbiddenError';

  constructor(message = 'This request is not allowed for this session', status = 403) {
    super(status, status === 401 ? 'unauthorized' : 'forbidden', message);
  }
}

/** `If-Match` named a version that is no longer current (412). */
export class PreconditionFailedError extends IntegrationsError {
  override name = 'PreconditionFailedError';

  constructor(current: string) {
    super(
      412,
      'precondition_failed',
      'The `If-Match` header does not match the current ETag; read the item again and retry',
      { extensions: { etag: current } },
    );
  }
}

/** The body is larger than `maxBodyBytes` (413). */
export class BodyTooLargeError extends IntegrationsError {
  override name = 'BodyTooLargeError';

  constructor(limit: number) {
    super(413, 'body_too_large', `Request body exceeds the limit of ${limit} bytes`, {
      extensions: { max_body_bytes: limit },
    });
  }
}

/** The body is not JSON (415). */
export class UnsupportedMediaTypeError extends IntegrationsError {
  override name = 'UnsupportedMediaTypeError';

  constructor(contentType: string) {
    super(
      415,
      'unsupported_media_type',
      `Content-Type "${contentType}" is not supported; send the body as application/json`,
    );
  }
}

/** A provider failed in a way this library did not expect (500); details stay in the log. */
export class ProviderError extends IntegrationsError {
  override name = 'ProviderError';
  readonly errorId: string;

  constructor(errorId: string, cause: unknown, code = 'provider_error') {
    super(500, code, `The integration provider failed; quote error id ${errorId} to the operator`, {
      cause,
      extensions: { error_id: errorId },
    });
    this.errorId = errorId;
  }
}

/**
 * A provider returned data that fails the schema (500). The failing fields stay on the error for
 * the log; the response names only the provider and the error id.
 */
export class InvalidProviderResponseError extends IntegrationsError {
  override name = 'InvalidProviderResponseError';
  readonly providerId: string;
  readonly errorId: string;
  readonly errors: FieldError[];

  constructor(providerId: string, what: string, errors: FieldError[]) {
    const errorId = globalThis.crypto.randomUUID();
    super(
      500,
      'invalid_provider_response',
      `Provider "${providerId}" returned an invalid ${what}; quote error id ${errorId} to the operator`,
      { extensions: { provider_id: providerId, error_id: errorId } },
    );
    this.providerId = providerId;
    this.errorId = errorId;
    this.errors = errors;
  }
}

/** A provider call outlived `timeoutMs` (504); its AbortSignal has fired. */
export class ProviderTimeoutError extends IntegrationsError {
  override name = 'ProviderTimeoutError';

  constructor(timeoutMs: number) {
    super(
      504,
      'provider_timeout',
      `The integration provider did not answer within ${timeoutMs} ms`,
      {
        extensions: { timeout_ms: timeoutMs },
      },
    );
  }
}

/**
 * Tells whether a value is an {@link IntegrationsError}, also across realms and copies of this
 * package where `instanceof` fails.
 */
export function isIntegrationsError(value: unknown): value is IntegrationsError {
  if (value instanceof IntegrationsError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<IntegrationsError>;

  return (
    typeof candidate.status === 'number' &&
    typeof candidate.code === 'string' &&
    typeof candidate.toProblem === 'function'
  );
}
