import { describe, expectTypeOf, it } from 'vitest';
import {
  createIntegrationsClient,
  type IntegrationsApiError,
  type IntegrationsClient,
  isIntegrationsApiError,
  type ProblemDocument,
} from '../../src/client/index.js';
import type { Integration, IntegrationList, ProviderInfo, Resource } from '../../src/core/index.js';

// These checks run in `tsc -p .`; each `@ts-expect-error` fails the typecheck if its line compiles.
const client: IntegrationsClient = createIntegrationsClient({
  baseUrl: 'http://localhost/beaker/integrations',
  sessionId: 's1',
});

describe('client types', () => {
  it('returns the schema types', () => {
    expectTypeOf(client.listIntegrations).returns.resolves.toEqualTypeOf<IntegrationList>();
    expectTypeOf(client.listProviders).returns.resolves.toEqualTypeOf<ProviderInfo[]>();
    expectTypeOf(client.getIntegration).returns.resolves.toEqualTypeOf<Integration>();
    expectTypeOf(client.listResources).returns.resolves.toEqualTypeOf<Resource[]>();
    expectTypeOf(client.getResource).returns.resolves.toEqualTypeOf<Resource>();
    expectTypeOf(client.addIntegration).returns.resolves.toEqualTypeOf<Integration>();
    expectTypeOf(client.updateIntegration).returns.resolves.toEqualTypeOf<Integration>();
    expectTypeOf(client.removeIntegration).returns.resolves.toEqualTypeOf<void>();
    expectTypeOf(client.updateResource).returns.resolves.toEqualTypeOf<Resource>();
    expectTypeOf(client.removeResource).returns.resolves.toEqualTypeOf<void>();
    expectTypeOf(client.withSession('s2')).toEqualTypeOf<IntegrationsClient>();
  });

  it('rejects wrong payloads and missing arguments at compile time', () => {
    const compileOnly = (): void => {
      // @ts-expect-error a new integration needs a name
      void client.addIntegration('memory:scratch', { description: 'No name' });
      // @ts-expect-error `name` is a string
      void client.addIntegration('memory:scratch', { name: 42 });
      // @ts-expect-error `datatype` is one of api, database or dataset
      void client.addIntegration('memory:scratch', { name: 'X', datatype: 'spreadsheet' });
      // @ts-expect-error the provider id comes first
      void client.addIntegration({ name: 'X' });
      // @ts-expect-error the id is missing
      void client.getIntegration();
      // @ts-expect-error the resource id is missing
      void client.getResource('weather');
      // @ts-expect-error a file resource needs a name
      void client.addResource('weather', { resource_type: 'file', content: 'text' });
      // @ts-expect-error an example resource needs code
      void client.addResource('weather', { resource_type: 'example', query: 'q' });
      // @ts-expect-error a resource needs its type
      void client.addResource('weather', { name: 'Notes' });
      // @ts-expect-error `notes` is a string
      void client.updateResource('weather', 'first', { notes: 1 });
      // @ts-expect-error `ifMatch` is an ETag string
      void client.updateIntegration('weather', { name: 'X' }, { ifMatch: 1 });
      // @ts-expect-error reads take no `ifMatch`
      void client.getIntegration('weather', { ifMatch: '"a"' });
      // @ts-expect-error the payload is missing
      void client.updateIntegration('weather');
    };

    expectTypeOf(compileOnly).toBeFunction();
    expectTypeOf(client.addResource<'note'>)
      .parameter(1)
      .toMatchTypeOf<{ resource_type: 'note' }>();
  });

  it('narrows API errors by code', () => {
    const error: unknown = new Error('x');
    if (isIntegrationsApiError(error, 'precondition_failed')) {
      expectTypeOf(error.code).toEqualTypeOf<'precondition_failed'>();
      expectTypeOf(error.problem.etag).toEqualTypeOf<string>();
    }
    if (isIntegrationsApiError(error)) {
      expectTypeOf(error).toEqualTypeOf<IntegrationsApiError>();
      expectTypeOf(error.problem).toEqualTypeOf<ProblemDocument | undefined>();
    }
  });
});
