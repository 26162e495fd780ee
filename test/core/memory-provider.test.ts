import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InMemoryProvider,
  IntegrationContext,
  type IntegrationsError,
} from '../../src/core/index.js';

describe('InMemoryProvider', () => {
  it('returns copies that do not change the stored data', () => {
    const provider = new InMemoryProvider({
      slug: 'scratch',
      integrations: [{ uuid: 'a', name: 'A', tags: ['x'] }],
    });

    const first = provider.getIntegration('a');
    first.name = 'changed';
    (first.tags as string[]).push('y');

    expect(provider.getIntegration('a')).toMatchObject({ name: 'A', tags: ['x'] });
  });

  it('copies payloads in, so later changes by the caller do not leak', () => {
    const provider = new InMemoryProvider({ slug: 'scratch' });
    const payload = { uuid: 'a', name: 'A', owner: { team: 'ocean' } };
    provider.addIntegration(payload);

    payload.owner.team = 'land';

    expect(provider.getIntegration('a').owner).toEqual({ team: 'ocean' });
  });

  it('validates provider-defined resource kinds', async () => {
    const provider = new InMemoryProvider({
      slug: 'scratch',
      integrations: [{ uuid: 'db', name: 'Warehouse', datatype: 'database' }],
      resourceKinds: { table: { table_name: z.string(), columns: z.array(z.string()) } },
    });
    const context = new IntegrationContext({ providers: [provider] });

    const table = await context.addResource('db', {
      resource_type: 'table',
      table_name: 'orders',
      columns: ['id', 'total'],
    });
    let error: IntegrationsError | undefined;
    try {
      await context.addResource('db', { resource_type: 'table', table_name: 'orders' });
    } catch (caught) {
      error = caught as IntegrationsError;
    }

    expect(table).toMatchObject({ resource_type: 'table', table_name: 'orders' });
    expect(error?.code).toBe('validation_failed');
    expect(error?.message).toBe('Invalid table resource: fix `columns` (Required: expected array)');
  });
});
