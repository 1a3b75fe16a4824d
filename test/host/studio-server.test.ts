/**
 * The browser-mode server's boundary: who may connect (token, Origin, Host), what static files it
 * serves (MIME types, no traversal), and that garbage on the socket gets error replies without
 * bringing the server down.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireResponse } from '../../engine/api/studio-api.js';
import { createDispatcher } from '../../engine/host/dispatch.js';
import { startStudioServer, type StudioServer } from '../../engine/host/server/studio-server.js';
import { StudioHost } from '../../engine/host/studio-host.js';

let dir: string;
let server: StudioServer;
let host: StudioHost;
const MAX_MESSAGE = 64 * 1024;
const MAX_FRAME = 256 * 1024;

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'snn-server-')));
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>SNN Studio</title>');
  for (const f of ['app.js', 'app.css', 'logo.svg', 'font.woff2', 'engine.wasm', 'data.bin', 'a b.js']) writeFileSync(join(dist, 'assets', f), f);
  writeFileSync(join(dir, 'secret.txt'), 'outside the build');
  symlinkSync(join(dir, 'secret.txt'), join(dist, 'assets', 'escape.txt'));
  host = await StudioHost.create({ mode: 'browser', configDir: join(dir, 'config'), pickerRoots: [dir] });
  server = await startStudioServer({
    dispatch: createDispatcher(host),
    subscribe: (l) => host.onEvent(l),
    staticRoot: dist,
    maxMessageBytes: MAX_MESSAGE,
    maxFrameBytes: MAX_FRAME,
  });
});
afterAll(async () => {
  await server?.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (node's http client sends the path exactly as given, unlike fetch, which normalises it). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Opened {
  ws: WebSocket;
  next(): Promise<WireResponse>;
  closed: Promise<number>;
}

function connect(options: { token?: string | null; origin?: string | null; path?: string; host?: string } = {}): Promise<Opened> {
  const token = options.token === undefined ? server.token : options.token;
  const url = `ws://127.0.0.1:${server.port}${options.path ?? '/api'}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const headers: Record<string, string> = options.host ? { host: options.host } : {};
  const ws = new WebSocket(url, { ...(options.origin === null ? {} : { origin: options.origin ?? server.origin }), headers });
  const inbox: WireResponse[] = [];
  const waiting: ((m: WireResponse) => void)[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as WireResponse;
    const w = waiting.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, closed, next: () => (inbox.length > 0 ? Promise.resolve(inbox.shift()!) : new Promise((r) => waiting.push(r))) }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

describe('API connections', () => {
  it('listens on 127.0.0.1 at a random port, with a long random token in the URL', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    expect(server.port).toBeGreaterThan(0);
  });

  it('accepts the page with the token and answers requests', async () => {
    const c = await connect();
    c.ws.send(JSON.stringify({ id: 7, method: 'capabilities', params: {} }));
    expect(await c.next()).toMatchObject({ id: 7, ok: true, result: { mode: 'browser' } });
    c.ws.close();
  });

  it('refuses a connection without the token or with a wrong one', async () => {
    await expect(connect({ token: null })).rejects.toThrow('HTTP 401');
    await expect(connect({ token: 'guess' })).rejects.toThrow('HTTP 401');
    await expect(connect({ token: server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A') })).rejects.toThrow('HTTP 401');
  });

  it('refuses any Origin but its own page, and a missing one', async () => {
    await expect(connect({ origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: 'http://127.0.0.1:1' })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: 'null' })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: null })).rejects.toThrow('HTTP 403');
    const viaLocalhost = await connect({ origin: `http://localhost:${server.port}` });
    viaLocalhost.ws.close();
  });

  it('refuses a foreign Host (DNS rebinding) and other paths', async () => {
    await expect(connect({ host: `evil.example:${server.port}` })).rejects.toThrow('HTTP 403');
    await expect(connect({ path: '/socket' })).rejects.toThrow('HTTP 404');
  });
});

describe('garbage on the socket', () => {
  it('answers each bad message with an error reply and keeps the connection', async () => {
    const c = await connect();
    const cases: [string | Buffer, Partial<WireResponse>][] = [
      ['not json at all', { id: null, ok: false, code: 'bad-message' }],
      ['', { id: null, ok: false, code: 'bad-message' }],
      ['42', { id: null, ok: false, code: 'bad-message' }],
      ['null', { id: null, ok: false, code: 'bad-message' }],
      ['[1,2,3]', { id: null, ok: false, code: 'bad-message' }],
      ['{"id":"1","method":"validate","params":{}}', { id: null, ok: false, code: 'bad-message' }],
      ['{"id":3,"method":"validate","params":{},"extra":1}', { id: 3, ok: false, code: 'bad-message' }],
      ['{"id":4,"method":"rm -rf","params":{}}', { id: 4, ok: false, code: 'unknown-method' }],
      ['{"id":5,"method":"__proto__","params":{}}', { id: 5, ok: false, code: 'unknown-method' }],
      ['{"id":6,"method":"constructor","params":{}}', { id: 6, ok: false, code: 'unknown-method' }],
      ['{"id":7,"method":"compile","params":{"document":{},"batch":"two"}}', { id: 7, ok: false, code: 'invalid-params' }],
      ['{"id":8,"method":"openDocument","params":{"path":"/etc/passwd"}}', { id: 8, ok: false, code: 'denied' }],
      ['{"id":9,"method":"browseFiles","params":{"dir":"/etc","purpose":"open"}}', { id: 9, ok: false, code: 'denied' }],
      [Buffer.from([0, 1, 2, 255]), { id: null, ok: false, code: 'bad-message' }],
      ['x'.repeat(MAX_MESSAGE + 1), { id: null, ok: false, code: 'bad-message' }],
    ];
    for (const [message, expected] of cases) {
      c.ws.send(message);
      const reply = await c.next();
      expect(reply, String(message).slice(0, 60)).toMatchObject(expected);
      if (!reply.ok) expect(reply.error.length).toBeLessThan(2000);
    }
    c.ws.send(JSON.stringify({ id: 99, method: 'capabilities', params: {} }));
    expect(await c.next()).toMatchObject({ id: 99, ok: true });
    c.ws.close();
  });

  it('closes a connection that sends a frame over the hard limit, and goes on serving others', async () => {
    const c = await connect();
    c.ws.send(Buffer.alloc(MAX_FRAME + 1024, 0x61).toString());
    expect(await c.closed).toBe(1009);
    const again = await connect();
    again.ws.send(JSON.stringify({ id: 1, method: 'capabilities' }));
    expect(await again.next()).toMatchObject({ id: 1, ok: true });
    again.ws.close();
  });
});

describe('static files', () => {
  it('serves the built renderer with the right MIME types and security headers', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const types: Record<string, string> = {
      '/assets/app.js': 'text/javascript; charset=utf-8',
      '/assets/app.css': 'text/css; charset=utf-8',
      '/assets/logo.svg': 'image/svg+xml',
      '/assets/font.woff2': 'font/woff2',
      '/assets/engine.wasm': 'application/wasm',
      '/assets/data.bin': 'application/octet-stream',
      '/assets/a%20b.js': 'text/javascript; charset=utf-8',
      '/index.html?token=abc': 'text/html; charset=utf-8',
    };
    for (const [path, type] of Object.entries(types)) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toBe(type);
    }
    const head = await get('/assets/app.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('never serves a file outside the build', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/secret.txt%00.html',
      '/assets/escape.txt',
      '/%',
      '/nope.js',
      '/assets',
    ];
    for (const path of attempts) {
      const r = await get(path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('outside the build');
    }
  });

  it('answers only GET/HEAD, and only to its own Host', async () => {
    expect((await get('/', {}, 'POST')).status).toBe(405);
    expect((await get('/', { host: 'evil.example' })).status).toBe(403);
  });
});
