/**
 * A read-only provider over a CSV catalogue of public datasets, written the way a provider author
 * would write one: the CSV is someone else's data, so the provider only reads it.
 *
 * Each row becomes an integration whose uuid is the row's `id`. The integration gets a `README.md`
 * file resource built from the row, an `example` resource when the row has an example query and
 * code, and a `link` resource (a kind this provider defines) to the dataset's home page. Columns
 * that the integration schema does not define, such as `license`, pass through as extra fields.
 *
 * @module
 */
import {
  BUILT_IN_RESOURCE_KINDS,
  type CallOptions,
  type Integration,
  IntegrationNotFoundError,
  type IntegrationProvider,
  IntegrationSchema,
  type Resource,
  type ResourceKinds,
  ResourceNotFoundError,
  resourceSchema,
  slugify,
} from 'beaker-integrations';
import { z } from 'zod';
import { parseCsvRows } from './csv.js';

/** Options of {@link CsvCatalogProvider}. */
export interface CsvCatalogProviderOptions {
  /** Second half of the provider id `csv:<slug>`. @default 'catalog' */
  slug?: string;
  /** Name shown to people. @default 'Public dataset catalogue' */
  displayName?: string;
  /** Name of the CSV source in error messages. @default 'catalog.csv' */
  fileName?: string;
}

/** A row of the catalogue that cannot become an integration. */
export class CatalogRowError extends Error {
  override name = 'CatalogRowError';
  readonly line: number;

  constructor(fileName: string, line: number, problem: string) {
    super(`${fileName} line ${line}: ${problem}`);
    this.line = line;
  }
}

/** The catalogue that ships with this example. */
export const exampleCatalogUrl = new URL('./data/catalog.csv', import.meta.url);

/** Columns that every catalogue must have. Every other column passes through as a field. */
const REQUIRED_COLUMNS = ['id', 'name', 'description', 'datatype', 'url', 'source'] as const;

/** Columns that feed resources rather than integration fields. */
const RESOURCE_COLUMNS: ReadonlySet<string> = new Set(['example_query', 'example_code']);

/** The `link` resource kind: a web page about the dataset. */
const LINK_KIND = { url: z.url(), title: z.string() };

interface CatalogEntry {
  /** The integration with its resources, as `getIntegration` returns it. */
  integration: Integration;
  resources: Map<string, Resource>;
}

/**
 * A read-only provider over a CSV catalogue of public datasets. The constructor takes the CSV text,
 * so the class runs in any runtime. {@link CsvCatalogProvider.fromFile} reads a file in Node.
 *
 * @example
 * ```ts
 * const catalog = await CsvCatalogProvider.fromFile(exampleCatalogUrl);
 * const context = new IntegrationContext({ providers: [catalog] });
 * ```
 */
export class CsvCatalogProvider implements IntegrationProvider {
  readonly providerType = 'csv';
  readonly slug: string;
  readonly displayName: string;
  readonly resourceKinds: ResourceKinds = { link: LINK_KIND };
  readonly #kinds: ResourceKinds = { ...BUILT_IN_RESOURCE_KINDS, ...this.resourceKinds };
  /** Every method checks its signal before it reads, so a cancelled request stops early. */
  readonly supportsCancellation = true;
  readonly #entries = new Map<string, CatalogEntry>();

  /**
   * Parses the catalogue and builds every integration up front, so that a bad row fails here and
   * not in the middle of a request.
   *
   * @throws {CsvSyntaxError} when the text is not valid CSV.
   * @throws {CatalogRowError} when a column is missing, an id repeats or a row fails the schema.
   */
  constructor(csvText: string, options: CsvCatalogProviderOptions = {}) {
    this.slug = options.slug ?? 'catalog';
    this.displayName = options.displayName ?? 'Public dataset catalogue';
    const fileName = options.fileName ?? 'catalog.csv';

    for (const { values, line } of parseCsvRows(csvText)) {
      const missing = REQUIRED_COLUMNS.filter((column) => values[column] === undefined);
      if (missing.length > 0) {
        throw new CatalogRowError(
          fileName,
          line,
          `the header lacks the required columns ${missing.join(', ')}`,
        );
      }
      if (this.#entries.has(values.id!)) {
        throw new CatalogRowError(
          fileName,
          line,
          `the id "${values.id}" repeats; ids must be unique`,
        );
      }
      this.#entries.set(values.id!, this.#toEntry(values, fileName, line));
    }
  }

  /**
   * Reads a catalogue file with `node:fs`, which is imported only here, so the class itself stays
   * usable outside Node.
   */
  static async fromFile(
    path: string | URL,
    options: CsvCatalogProviderOptions = {},
  ): Promise<CsvCatalogProvider> {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(path, 'utf8');
    const fileName = options.fileName ?? (typeof path === 'string' ? path : path.pathname);

    return new CsvCatalogProvider(text, { ...options, fileName });
  }

  /** The id `csv:<slug>` that integrations carry in `provider`. */
  get id(): string {
    return `${this.providerType}:${this.slug}`;
  }

  /** Lists every dataset without its resources, which `getIntegration` returns. */
  listIntegrations(options: CallOptions): Integration[] {
    options.signal.throwIfAborted();

    return [...this.#entries.values()].map(({ integration }) => ({
      ...structuredClone(integration),
      resources: {},
    }));
  }

  getIntegration(integrationId: string, options: CallOptions): Integration {
    options.signal.throwIfAborted();

    return structuredClone(this.#find(integrationId).integration);
  }

  listResources(
    integrationId: string,
    resourceType: string | undefined,
    options: CallOptions,
  ): Resource[] {
    options.signal.throwIfAborted();
    const resources = [...this.#find(integrationId).resources.values()];
    const selected =
      resourceType === undefined
        ? resources
        : resources.filter((resource) => resource.resource_type === resourceType);

    return structuredClone(selected);
  }

  getResource(integrationId: string, resourceId: string, options: CallOptions): Resource {
    options.signal.throwIfAborted();
    const resource = this.#find(integrationId).resources.get(resourceId);
    if (resource === undefined) throw new ResourceNotFoundError(integrationId, resourceId);

    return structuredClone(resource);
  }

  #find(integrationId: string): CatalogEntry {
    const entry = this.#entries.get(integrationId);
    if (entry === undefined) throw new IntegrationNotFoundError(integrationId);

    return entry;
  }

  #toEntry(values: Record<string, string>, fileName: string, line: number): CatalogEntry {
    const id = values.id!;
    const resources = new Map<string, Resource>();
    for (const resource of buildResources(id, values)) {
      const schema = resourceSchema(this.#kinds, resource.resource_type);
      const parsed = schema.safeParse(resource);
      if (!parsed.success) throw rowError(fileName, line, parsed.error);
      resources.set(resource.resource_id, parsed.data as Resource);
    }

    // Object.fromEntries defines each column as an own field, even one named `__proto__`.
    const columns = Object.entries(values).filter(
      ([column, value]) => column !== 'id' && !RESOURCE_COLUMNS.has(column) && value !== '',
    );
    const fields = Object.fromEntries(columns);
    if (fields.last_updated !== undefined) fields.last_updated = toTimestamp(fields.last_updated);

    const result = IntegrationSchema.safeParse({
      ...fields,
      uuid: id,
      slug: slugify(id),
      provider: this.id,
      resources: Object.fromEntries(resources),
    });
    if (!result.success) throw rowError(fileName, line, result.error);

    return { integration: result.data, resources };
  }
}

function rowError(fileName: string, line: number, error: z.ZodError): CatalogRowError {
  const problems = error.issues.map((issue) => `\`${issue.path.join('.')}\` ${issue.message}`);

  return new CatalogRowError(fileName, line, problems.join('; '));
}

/** Turns a date-only value such as `2021-05-04` into an ISO 8601 timestamp at midnight UTC. */
function toTimestamp(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

function buildResources(integrationId: string, values: Record<string, string>): Resource[] {
  const resources: Resource[] = [
    {
      resource_type: 'file',
      resource_id: 'readme',
      integration: integrationId,
      name: 'README.md',
      filepath: 'README.md',
      content: buildReadme(values),
    },
  ];
  if (values.url) {
    resources.push({
      resource_type: 'link',
      resource_id: 'homepage',
      integration: integrationId,
      url: values.url,
      title: `${values.name} home page`,
    });
  }
  if (values.example_query && values.example_code) {
    resources.push({
      resource_type: 'example',
      resource_id: 'example',
      integration: integrationId,
      query: values.example_query,
      code: values.example_code,
    });
  }

  return resources;
}

function buildReadme(values: Record<string, string>): string {
  const facts = [
    ['Source', values.source],
    ['Home page', values.url],
    ['License', values.license],
    ['Last updated', values.last_updated],
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => `- ${label}: ${value}`);
  const sections = [`# ${values.name}`, values.description, facts.join('\n')];
  if (values.example_query && values.example_code) {
    sections.push(
      `## Example\n\n${values.example_query}\n\n\`\`\`python\n${values.example_code}\n\`\`\``,
    );
  }

  return `${sections.join('\n\n')}\n`;
}
