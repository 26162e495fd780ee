import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

/** Returns the code blocks of the README that carry a `<!-- snippet: path -->` marker. */
async function markedSnippets(): Promise<Array<{ path: string; code: string }>> {
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const pattern = /<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g;

  return [...readme.matchAll(pattern)].map((match) => ({ path: match[1]!, code: match[2]! }));
}

describe('README snippets', () => {
  it('marks the Node and Hono examples', async () => {
    const paths = (await markedSnippets()).map((snippet) => snippet.path);

    expect(paths).toEqual(['examples/runtimes/node.ts', 'examples/runtimes/hono.ts']);
  });

  it('copies each marked example file exactly', async () => {
    for (const snippet of await markedSnippets()) {
      const file = await readFile(new URL(snippet.path, root), 'utf8');
      expect(snippet.code, `README block for ${snippet.path}`).toBe(file);
    }
  });
});
