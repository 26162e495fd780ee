/**
 * The errors that the client throws: {@link IntegrationsApiError} for every non-2xx response and
 * {@link ResponseValidationError} for a response that fails its schema.
 *
 * @module
 */
import type { StandardSchemaV1Issue } from 'ky';
import type { FieldError, ProblemDocument } from '../core/errors.js';

/**
 * The `code` of every problem document that the handler sends, plus `unexpected_response` for an
 * error body that is not a problem document. Other strings may occur when a server adds codes.
 */
export type ProblemCode =
  | 'invalid_json'
  | 'invalid_body'
  | 'invalid_path_parameter'
  | 'unauthorized'
  | 'forbidden'
  | 'session_not_found'
  | 'integration_not_found'
  | 'resource_not_found'
  | 'provider_not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'provider_read_only'
  | 'integration_exists'
  | 'resource_exists'
  | 'precondition_failed'
  | 'body_too_large'
  | 'path_parameter_too_long'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'request_aborted'
  | 'provider_error'
  | 'invalid_provider_response'
  | 'provider_timeout'
  | 'unexpected_response';

/** The problem document of a 412: `etag` is the current ETag of the item. */
export interface PreconditionFailedProblem extends ProblemDocument {
  code: 'precondition_failed';
  etag: string;
}

/** The problem document that comes with each code whose document has extra members. */
interface ProblemOfCode {
  precondition_failed: PreconditionFailedProblem;
}

/** The input of {@link IntegrationsApiError}: the request, response and body of ky's `HTTPError`. */
export interface FailedExchange {
  request: Request;
  response: Response;
  /** The response body: parsed JSON for a JSON Content-Type, text otherwise, or undefined. */
  data: unknown;
}

/**
 * A non-2xx response of the integrations API, with the stable `code` of its problem document. When
 * the error body is not a problem document, such as a proxy's HTML page, `code` is
 * `unexpected_response`, `problem` is undefined and `body` contains the raw text.
 *
 * Network failures and timeouts are not this error: they stay ky's `NetworkError` and
 * `TimeoutError`, so a caller can tell "the server said no" from "the server was not reached".
 *
 * @example
 * ```ts
 * try {
 *   await client.getIntegration('missing');
 * } catch (error) {
 *   if (isIntegrationsApiError(error, 'integration_not_found')) showNotFound(error.detail);
 *   else throw error;
 * }
 * ```
 */
export class IntegrationsApiError extends Error {
  override name = 'IntegrationsApiError';
  /** HTTP status of the response. */
  declare readonly status: number;
  /** Stable machine word from the problem document, or `unexpected_response`. */
  declare readonly code: ProblemCode | (string & {});
  /** The problem document's `detail`, or the Content-Type of a body that is not one. */
  declare readonly detail: string;
  /** The parsed problem document, when the body is one. */
  declare readonly problem: ProblemDocument | undefined;
  /** The response body as received: the parsed JSON, or the raw text of a non-JSON body. */
  declare readonly body: unknown;
  /** Method of the failed request, such as `POST`. */
  declare readonly method: string;
  /** Absolute URL of the failed request. */
  declare readonly url: string;

  /** Builds the error from a failed exchange; `options.cause` is normally ky's `HTTPError`. */
  constructor(exchange: FailedExchange, options?: ErrorOptions) {
    const { request, response, data } = exchange;
    const candidate = data as Partial<ProblemDocument> | null;
    const isProblem = typeof candidate?.code === 'string' && typeof candidate.status === 'number';
    const problem = isProblem ? (data as ProblemDocument) : undefined;
    const code = problem?.code ?? 'unexpected_response';
    const type = response.headers.get('content-type') ?? 'no Content-Type';
    const detail = problem?.detail ?? `The error body is not a problem document but ${type}`;
    const { method, url } = request;
    super(`${method} ${url} failed with ${response.status} ${code}: ${detail}`, options);
    // The fields are assigned in one step, which keeps the minified client small.
    Object.assign(this, {
      status: response.status,
      code,
      detail,
      problem,
      body: data,
      method,
      url,
    });
  }
}

/** An {@link IntegrationsApiError} whose `code` is known, with the problem document of that code. */
export type IntegrationsApiErrorOf<TCode extends string> = IntegrationsApiError & {
  code: TCode;
  problem: TCode extends keyof ProblemOfCode ? ProblemOfCode[TCode] : ProblemDocument;
};

/**
 * Tells whether a value is an {@link IntegrationsApiError}, optionally with one `code`. It compares
 * `name` as well as the class, so it also works across realms and copies of this package.
 *
 * @example
 * ```ts
 * if (isIntegrationsApiError(error, 'precondition_failed')) reload(error.problem.etag);
 * ```
 */
export function isIntegrationsApiError(value: unknown): value is IntegrationsApiError;
export function isIntegrationsApiError<TCode extends ProblemCode>(
  value: unknown,
  code: TCode,
): value is IntegrationsApiErrorOf<TCode>;
export function isIntegrationsApiError(value: unknown, code?: string): boolean {
  const isApiError =
    value instanceof IntegrationsApiError ||
    (value as Error | null)?.name === 'IntegrationsApiError';

  return isApiError && (code === undefined || (value as IntegrationsApiError).code === code);
}

/**
 * A successful response whose body fails the route's schema; thrown only when the client has
 * `validateResponses`. `errors` lists every failing field.
 */
export class ResponseValidationError extends Error {
  override name = 'ResponseValidationError';
  /** Name of the route, such as `getIntegration`. */
  declare readonly route: string;
  /** Each failing field: a dotted path into the body and what is wrong. */
  declare readonly errors: FieldError[];

  constructor(route: string, issues: readonly StandardSchemaV1Issue[]) {
    const errors = issues.map((issue) => ({
      path: (issue.path ?? [])
        .map((key) => String(typeof key === 'object' ? key.key : key))
        .join('.'),
      message: issue.message,
    }));
    super(`Response of ${route} is invalid at \`${errors[0]?.path}\`: ${errors[0]?.message}`);
    Object.assign(this, { route, errors });
  }
}
