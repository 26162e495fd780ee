import { readFile } from 'node:fs/promises';
import { verifyProvider } from 'beaker-integrations';
import { describe, expect, it } from 'vitest';
import { CsvCatalogProvider, exampleCatalogUrl } from './csv-catalog-provider.js';

describe('CsvCatalogProvider', () => {
  it('passes the provider contract', async () => {
    const csvText = await readFile(exampleCatalogUrl, 'utf8');
    const report = await verifyProvider(() => new CsvCatalogProvider(csvText));

    report.assert();
    expect(report.checks.filter((check) => check.status === 'passed')).toHaveLength(10);
  });

  it('passes the provider contract when loaded from a file', async () => {
    const report = await verifyProvider(() => CsvCatalogProvider.fromFile(exampleCatalogUrl));

    report.assert();
  });
});
