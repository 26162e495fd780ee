/**
 * The members of the Bun and Deno globals that bun.ts and deno.ts use. The project type-checks
 * under Node's types only, so these examples declare the little they need, as a subset of the
 * `Bun.serve` and `Deno.serve` references at bun.sh/reference and docs.deno.com/api/deno.
 */

/** Options of `Bun.serve`: the listening address and the fetch handler. */
interface BunServeOptions {
  hostname?: string;
  port?: number;
  fetch(request: Request): Response | Promise<Response>;
}

/** The server that `Bun.serve` returns. */
interface BunServer {
  readonly hostname: string | undefined;
  readonly port: number;
  stop(closeActiveConnections?: boolean): void;
}

declare const Bun: {
  readonly env: Record<string, string | undefined>;
  serve(options: BunServeOptions): BunServer;
};

/** Options of `Deno.serve`: the listening address. */
interface DenoServeOptions {
  hostname?: string;
  port?: number;
}

/** The server that `Deno.serve` returns. */
interface DenoHttpServer {
  readonly finished: Promise<void>;
  shutdown(): Promise<void>;
}

declare const Deno: {
  readonly env: { get(name: string): string | undefined };
  serve(
    options: DenoServeOptions,
    handler: (request: Request) => Response | Promise<Response>,
  ): DenoHttpServer;
};
