/**
 * Browser mode stays responsive while it compiles: the host compiles on its compile thread, so a
 * request sent after a large compile is answered before that compile is, and the page is served
 * meanwhile. A document that expands to millions of nodes is refused by validation (a located
 * problem) rather than compiled.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsStudioClient } from '../../engine/api/ws-client.js';
import { startBrowserMode, type BrowserMode } from '../../engine/host/browser-mode.js';
import { wsFrom } from '../host/ws-test-client.js';
import { doublingDocument } from './bomb-docs.js';

let dir: string;
let mode: BrowserMode;
let api: WsStudioClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snn-compile-thread-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SNN Studio</title>');
  mode = await startBrowserMode({ staticRoot: dir, configDir: join(dir, 'config'), workingDir: dir });
  api = new WsStudioClient(`ws://127.0.0.1:${mode.server.port}/api?token=${mode.server.token}`, { WebSocket: wsFrom(mode.server.origin) });
});

afterAll(async () => {
  api.close();
  await mode.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compile in browser mode', () => {
  it('refuses the doubling-composite document with a located limit problem', async () => {
    const r = await api.compile({ document: doublingDocument(24) });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ severity: 'error', path: 'nodes[2] "blockA"' });
    expect(r.problems[0]!.message).toMatch(/^expands to 50,331,648 primitive nodes .*; the limit is 50,000/);
  }, 60_000);

  it('answers other requests, refuses a bomb and serves the page while a large compile runs', async () => {
    // 4,096 copies of linear → LIF: seconds of compiling, well within the limits
    const large = doublingDocument(12, 32);
    const order: string[] = [];
    const track = <T>(name: string, p: Promise<T>): Promise<T> =>
      p.then((v) => {
        order.push(name);
        return v;
      });
    const compiling = track('compile', api.compile({ document: large }));
    const bomb = track('bomb', api.compile({ document: doublingDocument(24) }));
    const templates = track('listTemplates', api.listTemplates());
    const page = track('page', fetch(`${mode.server.origin}/`).then((res) => res.status));
    expect((await bomb).ok).toBe(false);
    expect((await templates).length).toBeGreaterThan(0);
    expect(await page).toBe(200);
    const compiled = await compiling;
    expect(compiled.ok).toBe(true);
    expect(compiled.bytes).toBeGreaterThan(0);
    // had the compile run on the thread that answers requests, it would have finished first
    expect(order).toHaveLength(4);
    expect(order.at(-1)).toBe('compile');
  }, 120_000);
});
