/**
 * The end-to-end setup: SNN Studio in browser mode (the host and server `npm start -- --browser`
 * runs, serving the built renderer from renderer/dist), and Debian's Chromium driven by
 * playwright-core with a fresh profile. The host's config folder and the picker's working folder
 * are temporary, so that a run never touches the user's recent files or documents.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { startBrowserMode } from '../../engine/host/browser-mode.js';
import { browserSkipReason, findBrowser } from './browser-path.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(REPO, 'renderer', 'dist');
/** CHROMIUM_PATH, or a system Chromium, Chrome or Edge (browser-path.ts); tests skip without one. */
export const CHROMIUM = findBrowser();
export { browserSkipReason };
export const SHOTS = join(REPO, 'test-results', 'e2e');

export interface Studio {
  readonly url: string;
  /** The folder the file picker starts in (documents saved by a test land here). */
  readonly workDir: string;
  /** The host's config folder (recent files, autosave, and the runs of documents never saved). */
  readonly configDir: string;
  close(): Promise<void>;
}

export async function startStudio(): Promise<Studio> {
  const root = await mkdtemp(join(tmpdir(), 'snn-e2e-'));
  const workDir = join(root, 'work');
  await mkdir(workDir, { recursive: true });
  const configDir = join(root, 'config');
  const mode = await startBrowserMode({ staticRoot: DIST, configDir, workingDir: workDir, version: 'e2e' });
  await mode.host;
  return {
    url: mode.server.url,
    workDir,
    configDir,
    async close() {
      await mode.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages the page logged as errors, and uncaught exceptions: a test fails on any. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  if (!CHROMIUM) throw new Error(`cannot launch a browser: ${browserSkipReason()}`);
  const profile = await mkdtemp(join(tmpdir(), 'snn-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Fails each test of the enclosing `describe` whose page logged a console error or threw: the
 * errors collected since the previous check are that test's, so each test answers for its own
 * console rather than the last one for all. Call it inside the `describe`, after the hooks that
 * launch the browser; `get` returns the browser (undefined before launch).
 */
export function failOnConsoleErrors(get: () => Browser | undefined): void {
  afterEach(() => {
    const errors = get()?.errors.splice(0) ?? [];
    expect(errors, 'console errors and uncaught exceptions during this test').toEqual([]);
  });
}

/**
 * The known state every test can start from: the app loaded afresh on its gallery with no document
 * open and the theme back to following the system (the one setting the renderer keeps in
 * localStorage). The host's recent-files list is kept; tests that save use names of their own.
 */
export async function freshStart(page: Page, studio: Studio): Promise<void> {
  await page.goto(studio.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByTestId('gallery').waitFor();
}

/**
 * Waits until the canvas's viewport stops moving (fitting and revealing animate it): two reads of
 * its transform 120 ms apart agree. Fails, rather than going on, if it is still moving after
 * `timeoutMs`.
 */
export async function viewportSettled(page: Page, timeoutMs = 20_000): Promise<void> {
  const transform = () => page.locator('.react-flow__viewport').getAttribute('style');
  let last = await transform();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await page.waitForTimeout(120);
    const now = await transform();
    if (now === last) return;
    last = now;
  }
  throw new Error(`the canvas viewport was still moving after ${timeoutMs} ms (last transform: ${last})`);
}

/**
 * Clicks a gallery card's Open and waits until the template is the open document: when the
 * document before it had unsaved changes, the app first asks, and this discards them. Waiting for
 * a node is not enough: the old document's nodes stay on the canvas under the gallery until the
 * template replaces them, and the question can come after they are found.
 */
export async function openFromGallery(page: Page, id: string, timeoutMs = 120_000): Promise<void> {
  await page.getByTestId(`open-template-${id}`).click();
  const discard = page.getByTestId('unsaved-discard');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // the question can close under the click (the dialog re-renders as it opens): ask again
    if (await discard.isVisible()) await discard.click({ timeout: 2_000 }).catch(() => undefined);
    if ((await page.getByTestId('gallery').count()) === 0) return;
    if (Date.now() > deadline) throw new Error(`template "${id}" did not open within ${timeoutMs} ms (the gallery is still shown)`);
    await page.waitForTimeout(50);
  }
}
