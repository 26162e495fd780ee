import { describe, expect, it } from 'vitest';
import { copyData, freezeData } from '../../src/core/copy.js';

describe('copyData', () => {
  it('copies nested objects and arrays', () => {
    const value = { name: 'Weather', tags: ['api', { kind: 'daily' }], extra: { depth: { n: 1 } } };
    const copy = copyData(value);

    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
    expect(copy.tags).not.toBe(value.tags);
    expect(copy.tags[1]).not.toBe(value.tags[1]);
    expect(copy.extra.depth).not.toBe(value.extra.depth);
  });

  it('keeps a __proto__ key as a field', () => {
    const value = JSON.parse('{"__proto__": {"admin": true}, "name": "x"}') as Record<
      string,
      unknown
    >;
    const copy = copyData(value);

    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'name']);
    expect((copy as { admin?: unknown }).admin).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ admin: true });
  });

  it('copies other objects as structuredClone does', () => {
    const value = { when: new Date('2024-05-01T10:00:00Z'), lookup: new Map([['a', 1]]) };
    const copy = copyData(value);

    expect(copy.when).toEqual(value.when);
    expect(copy.when).not.toBe(value.when);
    expect(copy.lookup).toEqual(value.lookup);
    expect(copy.lookup).not.toBe(value.lookup);
  });

  it('copes with a cycle', () => {
    const value: Record<string, unknown> = { name: 'loop' };
    value.self = value;
    const copy = copyData(value);

    expect(copy.name).toBe('loop');
    expect(copy.self).not.toBe(value);
  });

  it('throws on a function, as structuredClone does', () => {
    expect(() => copyData({ run: () => 1 })).toThrow();
  });
});

describe('freezeData', () => {
  it('freezes nested plain objects and arrays', () => {
    const value = { name: 'Weather', tags: ['api', { kind: 'daily' }] };

    expect(freezeData(value)).toBe(true);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.tags)).toBe(true);
    expect(Object.isFrozen(value.tags[1])).toBe(true);
  });

  it('reports other objects, which freezing cannot protect', () => {
    const value = { name: 'Weather', when: new Date('2024-05-01T10:00:00Z') };

    expect(freezeData(value)).toBe(false);
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('reports a cycle without looping forever', () => {
    const value: Record<string, unknown> = { name: 'loop' };
    value.self = value;

    expect(freezeData(value)).toBe(false);
  });
});
