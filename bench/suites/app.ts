/**
 * App start-up: time from `npm start -- --browser` (spawned as a user would) to the gallery on
 * screen in Debian's Chromium, headless, with a fresh profile each run:
 *   - spawn → URL printed: the launcher, the host and the server starting;
 *   - first-contentful-paint, from the page's own performance API (relative to navigation start);
 *   - spawn → first contentful paint, on one clock (performance.timeOrigin is wall-clock time);
 *   - spawn → template cards painted: the gallery filled from the host over the WebSocket.
 * Each is the median of RUNS starts. The renderer is built first (a first `npm start` would build
 * it once; that is not start-up time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureRendererBuilt } from '../../scripts/start/renderer-build.js';
import type { BenchRow } from '../types.js';

const SUITE = 'app';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = 5;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** The renderer marks each gallery card `data-testid="template-<id>"`. */
const CARD = '[data-testid^="template-"]';

/**
 * Runs in the page: first-contentful-paint from the paint timeline, and the frame that paints the
 * first gallery card (the one after the card enters the DOM). A string, not a function: tsx would
 * add helpers to a function's text that do not exist in the page.
 */
const MEASURE_IN_PAGE = `new Promise((resolve, reject) => {
  let fcp = null;
  let cards = null;
  const done = () => fcp !== null && cards !== null && resolve({ timeOrigin: performance.timeOrigin, fcp, cards });
  new PerformanceObserver((list) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0];
    if (entry) { fcp = entry.startTime; done(); }
  }).observe({ type: 'paint', buffered: true });
  const check = () => {
    if (cards === null && document.querySelector('${CARD}')) requestAnimationFrame(() => { cards = performance.now(); done(); });
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  check();
  setTimeout(() => reject(new Error('no gallery card (${CARD}) after 30 s')), 30000);
})`;

interface Sample {
  readonly urlMs: number;
  readonly fcpMs: number;
  readonly spawnToFcpMs: number;
  readonly spawnToCardsMs: number;
}

export async function run(): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  ensureRendererBuilt(ROOT);
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await startOnce());
  const median = (f: (s: Sample) => number) => {
    const v = samples.map(f).sort((a, b) => a - b);
    return Math.round(v[Math.floor(v.length / 2)]! * 10) / 10;
  };
  const note = `median of ${RUNS} starts, headless Chromium, fresh profile`;
  return [
    { suite: SUITE, name: 'npm start --browser → URL printed', value: median((s) => s.urlMs), unit: 'ms', note },
    { suite: SUITE, name: 'page first-contentful-paint (from navigation)', value: median((s) => s.fcpMs), unit: 'ms', note },
    { suite: SUITE, name: 'npm start --browser → first contentful paint', value: median((s) => s.spawnToFcpMs), unit: 'ms', note },
    { suite: SUITE, name: 'npm start --browser → gallery cards painted', value: median((s) => s.spawnToCardsMs), unit: 'ms', note: `${note}; templates and thumbnails fetched from the host` },
  ];
}

async function startOnce(): Promise<Sample> {
  const configDir = mkdtempSync(join(tmpdir(), 'snn-bench-config-'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'snn-bench-chromium-'));
  const spawnedAt = Date.now();
  const server = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--browser', '--no-open'], {
    cwd: ROOT,
    env: { ...process.env, SNN_STUDIO_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await printedUrl(server);
    const urlMs = Date.now() - spawnedAt;
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url, { waitUntil: 'commit' });
      const timing = (await page.evaluate(MEASURE_IN_PAGE)) as { timeOrigin: number; fcp: number; cards: number };
      return {
        urlMs,
        fcpMs: timing.fcp,
        spawnToFcpMs: timing.timeOrigin + timing.fcp - spawnedAt,
        spawnToCardsMs: timing.timeOrigin + timing.cards - spawnedAt,
      };
    } finally {
      await context.close();
    }
  } finally {
    await stop(server);
    rmSync(configDir, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

function printedUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL in 60 s:\n${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
