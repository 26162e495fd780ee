import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryProvider, IntegrationContext } from '../../src/core/index.js';
import { FileSystemProvider } from '../../src/server/filesystem/index.js';
import { createIntegrationsHandler, type IntegrationsHandler } from '../../src/server/index.js';
import { createRoot, type TemporaryRoot } from '../filesystem/fixtures/roots.js';

const BASE = 'http://localhost/beaker/integrations/s1';

function post(path: string, body: unknown): Request {
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** An array nested `depth` levels deep, such as `[[[]]]` for 3. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];

  return value;
}

/**
 * Payloads that pass the schema but that stores could not hold: nesting that breaks copies and
 * YAML, and ids too long to send back in a path. Both providers must reject them before writing.
 */
describe.each(['memory:scratch', 'filesystem:team'])('payload limits on %s', (providerId) => {
  let root: TemporaryRoot;
  let handler: IntegrationsHandler;

  beforeAll(async () => {
    root = await createRoot();
    const context = new IntegrationContext({
      providers: [
        new InMemoryProvider({ slug: 'scratch' }),
        new FileSystemProvider({ root: root.root, slug: 'team', displayName: 'Team' }),
      ],
    });
    handler = createIntegrationsHandler({ context });
    const created = await handler(post('', { provider: providerId, uuid: 'kept', name: 'Kept' }));
    expect(created.status).toBe(201);
  });
  afterAll(() => root.remove());

  it('rejects nesting deeper than 64 levels on create', async () => {
    const response = await handler(
      post('', { provider: providerId, name: 'Deep', settings: { matrix: nested(1000) } }),
    );
    const problem = await response.json();

    expect(response.status).toBe(422);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors[0].path).toMatch(/^settings\.matrix(\.0)+$/);
    expect(problem.detail).toMatch(/values may nest at most 64 levels deep/);
  });

  it('rejects deep nesting on update and keeps the integration readable', async () => {
    const response = await handler(post('/kept', { extra: nested(2000) }));
    const after = await handler(new Request(`${BASE}/kept`));

    expect(response.status).toBe(422);
    expect(after.status).toBe(200);
    expect((await after.json()).extra).toBeUndefined();
  });

  it('accepts nesting up to the limit', async () => {
    const response = await handler(post('/kept', { extra: nested(63) }));

    expect(response.status).toBe(200);
  });

  it('rejects a uuid too long to be sent back in a path', async () => {
    const response = await handler(
      post('', { provider: providerId, uuid: 'u'.repeat(513), name: 'Long id' }),
    );
    const problem = await response.json();

    expect(response.status).toBe(422);
    expect(problem.errors[0].path).toBe('uuid');
    expect(problem.detail).toMatch(/longer than 512 UTF-8 bytes/);
  });

  it('rejects a resource id too long to be sent back in a path', async () => {
    const response = await handler(
      post('/kept/new', {
        resource_type: 'example',
        resource_id: 'é'.repeat(257),
        query: 'q',
        code: 'c',
      }),
    );

    expect(response.status).toBe(422);
    expect((await response.json()).errors[0].path).toBe('resource_id');
  });

  it.runIf(providerId === 'filesystem:team')('leaves the integration file readable', async () => {
    const stored = await root.readYaml('kept');

    expect(stored.name).toBe('Kept');
  });
});
