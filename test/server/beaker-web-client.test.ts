import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryProvider, IntegrationContext } from '../../src/core/index.js';
import { createIntegrationsHandler } from '../../src/server/index.js';
import { overHttp, type Send } from '../helpers/transports.js';

/**
 * The requests that Beaker's own web client sends, in its order and with its headers: it sends
 * `Content-Type: application/json` on every request, uses `all`, `new` and `any` as resource-type
 * segments, posts back whole objects to update them and names providers as `<type>:<slug>`.
 */
describe('Beaker web client request sequence', () => {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const session = '/beaker/integrations/notebook-7f3a';
  const adhoc = new InMemoryProvider({
    providerType: 'adhoc',
    slug: 'my_provider',
    displayName: 'My integrations',
    integrations: [{ uuid: 'gbif', name: 'GBIF occurrences', datatype: 'dataset' }],
  });
  const handler = createIntegrationsHandler({
    context: new IntegrationContext({ providers: [adhoc] }),
  });
  let send: Send;
  let close: () => Promise<void>;
  let example: Record<string, unknown>;

  beforeAll(async () => {
    ({ send, close } = await overHttp.open(handler));
  });
  afterAll(() => close());

  it('lists integrations', async () => {
    const response = await send(session, { headers });
    const body = await response.json();

    expect(response.status).toBe(200);
    expect(Object.keys(body.integrations)).toEqual(['gbif']);
    expect(body.integrations.gbif.provider).toBe('adhoc:my_provider');
  });

  it('lists resources with `all`', async () => {
    const response = await send(`${session}/gbif/all`, { headers });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ resources: [] });
  });

  it('adds a resource through `new`', async () => {
    const response = await send(`${session}/gbif/new`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        resource_type: 'example',
        query: 'Occurrences of Quercus robur in Denmark',
        code: "occurrences.search(scientificName='Quercus robur', country='DK')",
      }),
    });
    example = await response.json();

    expect(response.status).toBe(201);
    expect(example.integration).toBe('gbif');
    expect(example.resource_type).toBe('example');
  });

  it('updates it by posting the whole object to `new/<id>`', async () => {
    const changed = { ...example, notes: 'Paginate with offset; 300 records a page.' };
    const response = await send(`${session}/gbif/new/${example.resource_id}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(changed),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(changed);
  });

  it('deletes it through `any/<id>` and gets {}', async () => {
    const response = await send(`${session}/gbif/any/${example.resource_id}`, {
      method: 'DELETE',
      headers,
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(
      (await send(`${session}/gbif/all`, { headers }).then((r) => r.json())).resources,
    ).toEqual([]);
  });

  it('creates an integration on a `<type>:<slug>` provider', async () => {
    const response = await send(`${session}/`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        provider: 'adhoc:my_provider',
        name: 'OpenAlex works',
        description: 'Scholarly works, authors and citations.',
        datatype: 'api',
        url: 'https://api.openalex.org',
        img_url: null,
        source: null,
        resources: {},
      }),
    });
    const created = await response.json();

    expect(response.status).toBe(201);
    expect(created).toMatchObject({
      name: 'OpenAlex works',
      provider: 'adhoc:my_provider',
      slug: 'openalex_works',
      img_url: null,
      resources: {},
    });
    const list = await (await send(session, { headers })).json();
    expect(Object.keys(list.integrations)).toEqual(['gbif', created.uuid]);
  });
});
