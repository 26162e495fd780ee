import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  InMemoryProvider,
  IntegrationContext,
  type IntegrationsError,
} from '../../src/core/index.js';

describe('InMemoryProvider', () => {
  it('returns frozen values that reject changes', () => {
    const provider = new InMemoryProvider({
      slug: 'scratch',
      integrations: [{ uuid: 'a', name: 'A', tags: ['x'] }],
    });

    const first = provider.getIntegration('a');

    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      first.name = 'changed';
    }).toThrow(TypeError);
    expect(() => (first.tags as string[]).push('y')).toThrow(TypeError);
    expect(provider.getIntegration('a')).toMatchObject({ name: 'A', tags: ['x'] });
  });

  it('freezes results down to nested resources', () => {
    const provider = new InMemoryProvider({
      slug: 'scratch',
      integrations: [
        {
          uuid: 'a',
          name: 'A',
          resources: { r1: { resource_type: 'example', query: 'q', code: 'c' } },
        },
      ],
    });
    const added = provider.addResource('a', {
      resource_type: 'file',
      resource_id: 'r2',
      name: 'notes.md',
    });
    const listed = provider.listIntegrations()[0]!;
    const resources = provider.listResources('a');
    const resource = provider.getResource('a', 'r1');

    expect(() => {
      added.name = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      listed.resources.r1!.resource_id = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      resources[0]!.resource_type = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (resource as { query: string }).query = 'changed';
    }).toThrow(TypeError);
    expect(provider.getIntegration('a').resources).toEqual({
      r1: { resource_type: 'example', resource_id: 'r1', integration: 'a', query: 'q', code: 'c' },
      r2: { resource_type: 'file', resource_id: 'r2', integration: 'a', name: 'notes.md' },
    });
  });

  it('shows resource writes in the next integration read', () => {
    const provider = new InMemoryProvider({
      slug: 'scratch',
      integrations: [
        {
          uuid: 'a',
          name: 'A',
          resources: {
            r1: { resource_type: 'example', query: 'q', code: 'c' },
            r2: { resource_type: 'example', query: 'q2', code: 'c2' },
          },
        },
      ],
    });
    const before = provider.getIntegration('a');

    provider.updateResource('a', 'r1', { code: 'changed' });
    provider.removeResource('a', 'r2');
    provider.addResource('a', { resource_type: 'file', resource_id: 'r3', name: 'notes.md' });
    const after = provider.getIntegration('a');

    expect(Object.keys(before.resources)).toEqual(['r1', 'r2']);
    expect(Object.keys(after.resources)).toEqual(['r1', 'r3']);
    expect(after.resources.r1).toMatchObject({ code: 'changed' });
    expect(provider.listIntegrations()[0]).toBe(after);
  });

  it('returns fresh arrays that the caller may change', () => {
    const provider = new InMemoryProvider({ slug: 'scratch', integrations: [{ name: 'A' }] });

    provider.listIntegrations().pop();

    expect(provider.listIntegrations()).toHaveLength(1);
  });

  it('returns a mutable copy of data that freezing cannot protect', () => {
    const provider = new InMemoryProvider({
      slug: 'scratch',
      integrations: [{ uuid: 'a', name: 'A', seen: new Map([['x', 1]]) }],
    });

    const first = provider.getIntegration('a');
    (first.seen as Map<string, number>).set('y', 2);
    first.name = 'changed';

    expect(Object.isFrozen(first)).toBe(false);
    expect(provider.getIntegration('a').name).toBe('A');
    expect(provider.getIntegration('a').seen).toEqual(new Map([['x', 1]]));
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
