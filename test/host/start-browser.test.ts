/**
 * `npm start -- --browser`, end to end: spawned as a user would, it prints a URL on 127.0.0.1 with
 * a random port and a token; the page loads; the API answers with the token and refuses without;
 * SIGTERM shuts it down cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsStudioClient } from '../../engine/api/ws-client.js';
import { wsFrom } from './ws-test-client.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'snn-start-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SNN Studio</title><h1>Gallery</h1>');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(): { child: ChildProcess; url: Promise<URL>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--browser', '--no-open'], {
    cwd: ROOT,
    env: { ...process.env, SNN_STUDIO_RENDERER_DIST: dir, SNN_STUDIO_CONFIG_DIR: join(dir, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/);
      if (m) resolve(new URL(m[0]));
    });
    child.on('exit', () => reject(new Error(`exited before printing a URL:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url, exited };
}

describe('npm start -- --browser', () => {
  it('serves the UI and the API on a random port with a one-time token, until stopped', async () => {
    const a = start();
    const b = start();
    const [urlA, urlB] = await Promise.all([a.url, b.url]);
    expect(urlA.port).not.toBe(urlB.port);
    expect(urlA.searchParams.get('token')).not.toBe(urlB.searchParams.get('token'));

    const page = await fetch(urlA);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Gallery</h1>');

    const token = urlA.searchParams.get('token')!;
    const api = new WsStudioClient(`ws://${urlA.host}/api?token=${token}`, { WebSocket: wsFrom(urlA.origin) });
    expect((await api.listTemplates()).length).toBeGreaterThan(0);
    api.close();
    const intruder = new WsStudioClient(`ws://${urlA.host}/api?token=${token}`, { WebSocket: wsFrom(urlB.origin) });
    await expect(intruder.capabilities()).rejects.toMatchObject({ code: 'unavailable' });

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  });
});
