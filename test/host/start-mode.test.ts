/** How `npm start` chooses between the desktop app and browser mode, and finds the pieces it needs. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronRuns, findElectronBinary } from '../../scripts/start/electron-binary.js';
import { fetchElectronBinary, reachable } from '../../scripts/start/fetch-electron.js';
import { decideLaunch, hasDisplay, isCi, type LaunchFacts } from '../../scripts/start/launch-mode.js';
import { ensureRendererBuilt, newerSource } from '../../scripts/start/renderer-build.js';

const desktop: LaunchFacts = {
  argv: [],
  env: { DISPLAY: ':0' },
  platform: 'linux',
  electronBinary: '/x/electron',
  fetchBinary: async () => null,
  binaryRuns: async () => true,
};

describe('decideLaunch', () => {
  it('opens the desktop app when everything allows it', async () => {
    expect(await decideLaunch(desktop)).toEqual({ mode: 'electron', binary: '/x/electron' });
    expect(await decideLaunch({ ...desktop, env: {}, platform: 'darwin' })).toMatchObject({ mode: 'electron' });
    expect(await decideLaunch({ ...desktop, env: { WAYLAND_DISPLAY: 'wayland-0' } })).toMatchObject({ mode: 'electron' });
  });

  it('falls back to browser mode, saying why', async () => {
    const cases: [Partial<LaunchFacts>, RegExp][] = [
      [{ argv: ['--browser'] }, /--browser/],
      [{ env: { DISPLAY: ':0', CI: 'true' } }, /CI/],
      [{ electronBinary: null }, /not installed and could not be downloaded/],
      [{ env: {} }, /no display/],
      [{ binaryRuns: async () => false }, /does not run/],
    ];
    for (const [change, reason] of cases) {
      const d = await decideLaunch({ ...desktop, ...change });
      expect(d.mode).toBe('browser');
      expect(d.mode === 'browser' && d.reason).toMatch(reason);
    }
  });

  it('runs the binary only when nothing else rules Electron out', async () => {
    let probed = 0;
    const binaryRuns = async () => (probed++, true);
    await decideLaunch({ ...desktop, binaryRuns, argv: ['--browser'] });
    await decideLaunch({ ...desktop, binaryRuns, env: {} });
    await decideLaunch({ ...desktop, binaryRuns, electronBinary: null });
    expect(probed).toBe(0);
  });

  it('downloads a missing binary on a desktop only, and uses it', async () => {
    let fetched = 0;
    const fetchBinary = async () => (fetched++, '/fetched/electron');
    expect(await decideLaunch({ ...desktop, electronBinary: null, fetchBinary })).toEqual({ mode: 'electron', binary: '/fetched/electron' });
    await decideLaunch({ ...desktop, electronBinary: null, fetchBinary, env: {} });
    await decideLaunch({ ...desktop, electronBinary: null, fetchBinary, env: { DISPLAY: ':0', CI: '1' } });
    await decideLaunch({ ...desktop, electronBinary: null, fetchBinary, argv: ['--browser'] });
    await decideLaunch({ ...desktop, fetchBinary });
    expect(fetched).toBe(1);
  });

  it('reads CI and display variables as CI systems set them', () => {
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    expect(isCi({})).toBe(false);
    expect(hasDisplay('win32', {})).toBe(true);
    expect(hasDisplay('freebsd', {})).toBe(false);
  });
});

describe('Electron binary', () => {
  let dir: string;
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'snn-electron-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is found through path.txt only when dist holds it', () => {
    const pkg = join(dir, 'node_modules', 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    expect(findElectronBinary(dir, {})).toBeNull();
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(findElectronBinary(dir, {})).toBeNull();
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(findElectronBinary(dir, {})).toBe(join(pkg, 'dist', 'electron'));
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'elsewhere') })).toBeNull();
  });

  it('counts as running only if it exits cleanly, in time', async () => {
    const script = (name: string, body: string) => {
      const p = join(dir, name);
      writeFileSync(p, `#!/bin/sh\n${body}\n`);
      chmodSync(p, 0o755);
      return p;
    };
    expect(await electronRuns(script('ok', 'exit 0'))).toBe(true);
    expect(await electronRuns(script('broken', 'exit 127'))).toBe(false);
    expect(await electronRuns(script('hangs', 'sleep 30'), 300)).toBe(false);
    expect(await electronRuns(join(dir, 'missing'))).toBe(false);
  });
});

describe('fetching the binary', () => {
  let dir: string;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'snn-fetch-'));
    server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      res.writeHead(302, { location: 'https://elsewhere.invalid/' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('probes the download host briefly: any answer is network, silence or refusal is none', async () => {
    expect(await reachable(`http://127.0.0.1:${port}/`, 2000)).toBe(true);
    // the server never answers /hang: an answer at all means the 300 ms limit gave up on it
    expect(await reachable(`http://127.0.0.1:${port}/hang`, 300)).toBe(false);
    expect(await reachable('http://127.0.0.1:1/', 2000)).toBe(false);
  });

  it('runs electron’s install script only when its host answers', async () => {
    const pkg = join(dir, 'node_modules', 'electron');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'install.js'), `require('fs').writeFileSync(${JSON.stringify(join(pkg, 'ran'))}, '1');`);
    expect(await fetchElectronBinary(dir, { env: { ELECTRON_MIRROR: 'http://127.0.0.1:1/' } })).toBe(false);
    expect(existsSync(join(pkg, 'ran'))).toBe(false);
    expect(await fetchElectronBinary(dir, { env: { ELECTRON_MIRROR: `http://127.0.0.1:${port}/` } })).toBe(true);
    expect(existsSync(join(pkg, 'ran'))).toBe(true);
    writeFileSync(join(pkg, 'install.js'), 'setTimeout(() => {}, 60000);');
    expect(await fetchElectronBinary(dir, { env: { ELECTRON_MIRROR: `http://127.0.0.1:${port}/` }, installTimeoutMs: 300 })).toBe(false);
  });
});

describe('ensureRendererBuilt', () => {
  it('uses an override build as it is, and never builds over it', () => {
    const dist = mkdtempSync(join(tmpdir(), 'snn-dist-'));
    try {
      expect(() => ensureRendererBuilt('/nowhere', { SNN_STUDIO_RENDERER_DIST: dist })).toThrow(/no index.html/);
      writeFileSync(join(dist, 'index.html'), '');
      expect(ensureRendererBuilt('/nowhere', { SNN_STUDIO_RENDERER_DIST: dist })).toBe(dist);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('knows when a source is newer than the build (a pulled change must not open the old UI)', () => {
    const root = mkdtempSync(join(tmpdir(), 'snn-root-'));
    try {
      for (const d of ['renderer/src', 'renderer/dist', 'engine/core', 'engine/api']) mkdirSync(join(root, d), { recursive: true });
      const dist = join(root, 'renderer', 'dist');
      const files = ['renderer/src/App.tsx', 'engine/core/tensor.ts', 'engine/api/studio-api.ts', 'package.json'];
      for (const f of files) writeFileSync(join(root, f), '');
      writeFileSync(join(dist, 'index.html'), '');
      const at = (f: string, s: number) => utimesSync(join(root, f), s, s);
      for (const f of files) at(f, 1000);
      at('renderer/dist/index.html', 2000);
      expect(newerSource(root, dist)).toBeNull();
      at('engine/core/tensor.ts', 3000);
      expect(newerSource(root, dist)).toBe(join(root, 'engine/core/tensor.ts'));
      at('engine/core/tensor.ts', 1000);
      // the build's own files are not sources
      at('renderer/dist/index.html', 2000);
      writeFileSync(join(dist, 'later.js'), '');
      expect(newerSource(root, dist)).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
