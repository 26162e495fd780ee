import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage, type ExampleServer, startExampleServer } from './server-process.js';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Drives the example page in Debian's Chromium through playwright-core. `.ci/run` installs the
 * browser; a machine without it fails here rather than skipping, so CI cannot pass without it.
 */
describe('example page in Chromium', () => {
  let server: ExampleServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing; run apt-get install chromium`).toBe(true);
    await buildPage();
    server = await startExampleServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/?session=browser-test`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists integrations grouped by provider', async () => {
    const navigation = page.getByRole('navigation', { name: 'Integrations' });

    await expect
      .poll(() => navigation.getByRole('button').allTextContents())
      .toEqual([
        'Chinook Music Store',
        'NOAA GHCN-Daily',
        'Open-Meteo Forecast',
        'USGS Earthquake Catalog',
      ]);
    expect(await navigation.getByRole('heading').allTextContents()).toEqual([
      'Example integrations',
      'Scratch space',
    ]);
    expect(await page.locator('#session').textContent()).toBe('browser-test');
  });

  it('shows an integration with its resources', async () => {
    await page.getByRole('button', { name: 'Chinook Music Store' }).click();
    const detail = page.locator('#detail');

    await expect
      .poll(() => detail.getByRole('heading', { level: 2 }).textContent())
      .toBe('Chinook Music Store');
    expect(await detail.locator('article.resource h4').allTextContents()).toEqual([
      'File: schema',
      'Which five genres bring in the most revenue?',
      'How many customers does the store have in each country?',
    ]);
  });

  it('adds an example resource and shows it', async () => {
    const form = page.getByRole('form', { name: 'Add example' });
    await form.getByLabel('Question').fill('Which employees report to the general manager?');
    await form
      .getByLabel('Code')
      .fill('SELECT FirstName, LastName FROM Employee WHERE ReportsTo = 1;');
    await form.getByRole('button', { name: 'Add example' }).click();

    await expect
      .poll(() => page.locator('article.resource h4').allTextContents())
      .toContain('Which employees report to the general manager?');
  });

  it('edits the example it added', async () => {
    const article = page.locator('article.resource', {
      hasText: 'Which employees report to the general manager?',
    });
    await article.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit example' });
    await form.getByLabel('Notes').fill('Employee 1 is the general manager.');
    await form.getByRole('button', { name: 'Save example' }).click();

    await expect
      .poll(() =>
        page
          .locator('article.resource', {
            hasText: 'Which employees report to the general manager?',
          })
          .locator('p')
          .textContent(),
      )
      .toBe('Employee 1 is the general manager.');
  });

  it('deletes the example it added', async () => {
    const article = page.locator('article.resource', {
      hasText: 'Which employees report to the general manager?',
    });
    await article.getByRole('button', { name: 'Delete' }).click();

    await expect.poll(() => page.locator('article.resource').count()).toBe(3);
    expect(await page.locator('#status').textContent()).toBe('');
    expect(pageErrors).toEqual([]);
  });
});
