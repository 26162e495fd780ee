import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeList } from '../../src/core/index.js';
import { createRouteMatcher, pathnameOf } from '../../src/server/route-matcher.js';

/** A fixed seed keeps CI runs repeatable; set `FAST_CHECK_SEED` to explore other inputs. */
const SEED = Number(process.env.FAST_CHECK_SEED ?? 20_240_501);

describe('pathnameOf', () => {
  const cases = [
    'http://localhost/beaker/integrations/s1',
    'http://localhost/beaker/integrations/s1/',
    'https://example.org:8443/a/b?c=/d#e/f',
    'http://127.0.0.1/a#frag?not-query',
    'http://user:p%2Fss@example.org/a/b',
    'http://[::1]:3000/a%2Fb/c%20d',
    'http://localhost',
    'file:///tmp/a/b',
    'foo://host/a/b?x',
    'mailto:someone@example.org',
  ];

  for (const url of cases) {
    it(`equals URL.pathname for ${url}`, () => {
      expect(pathnameOf(url)).toBe(new URL(url).pathname);
    });
  }

  it('equals URL.pathname of any serialized request URL', () => {
    const segment = fc.string({ unit: 'binary', maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 5 }),
        fc.option(fc.string({ maxLength: 10 })),
        fc.option(fc.string({ maxLength: 10 })),
        (segments, query, fragment) => {
          const raw = `http://localhost:8080/${segments.join('/')}${query === null ? '' : `?${query}`}${fragment === null ? '' : `#${fragment}`}`;
          let url: string;
          try {
            url = new Request(raw).url;
          } catch {
            return;
          }

          expect(pathnameOf(url)).toBe(new URL(url).pathname);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('createRouteMatcher', () => {
  const matchRoute = createRouteMatcher('/beaker/integrations', routeList);

  it('matches each path shape with its raw parameters', () => {
    const resource = matchRoute('/beaker/integrations/s1/a%2Fb/file/r1/');

    expect(resource?.routes.map((route) => route.operation)).toEqual([
      'getResource',
      'updateResource',
      'removeResource',
    ]);
    expect({ ...resource?.params }).toEqual({
      session_id: 's1',
      integration_id: 'a%2Fb',
      resource_type: 'file',
      resource_id: 'r1',
    });
    expect(matchRoute('/beaker/integrations/s1')?.routes.map((route) => route.id)).toEqual([
      'R1',
      'R5',
    ]);
  });

  it('matches no path outside the routes', () => {
    expect(matchRoute('/beaker/integrations')).toBeUndefined();
    expect(matchRoute('/beaker/integrations/s1//i1')).toBeUndefined();
    expect(matchRoute('/beaker/integrations/s1/i1/file/r1/extra')).toBeUndefined();
    expect(matchRoute('/elsewhere/s1')).toBeUndefined();
  });
});
