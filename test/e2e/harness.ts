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
import { startBrowserMode } from '../../engine/host/browser-mode.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(REPO, 'renderer', 'dist');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(REPO, 'test-results', 'e2e');

export interface Studio {
  readonly url: string;
  /** The folder the file picker starts in (documents saved by a test land here). */
  readonly workDir: string;
  close(): Promise<void>;
}

export async function startStudio(): Promise<Studio> {
  const root = await mkdtemp(join(tmpdir(), 'snn-e2e-'));
  const workDir = join(root, 'work');
  await mkdir(workDir, { recursive: true });
  const mode = await startBrowserMode({ staticRoot: DIST, configDir: join(root, 'config'), workingDir: workDir, version: 'e2e' });
  await mode.host;
  return {
    url: mode.server.url,
    workDir,
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
