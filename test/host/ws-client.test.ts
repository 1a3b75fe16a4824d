/**
 * The renderer's WebSocket client, on its own: the token taken from the page URL (and kept for
 * reloads), the socket URL, and calls that fail cleanly when the host cannot be reached or drops.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../engine/api/studio-api.js';
import { apiUrl, takePageToken, WsStudioClient } from '../../engine/api/ws-client.js';
import { wsFrom } from './ws-test-client.js';

function page(href: string) {
  const store = new Map<string, string>();
  const replaced: string[] = [];
  return {
    location: { href } as Location,
    history: { state: null, replaceState: (_s: unknown, _t: string, url: string) => void replaced.push(url) } as unknown as History,
    sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage,
    replaced,
    store,
  };
}

describe('takePageToken', () => {
  it('reads the token from the URL, keeps it for this tab and removes it from the address bar', () => {
    const p = page('http://127.0.0.1:5000/?token=abc-123&x=1#gallery');
    expect(takePageToken(p)).toBe('abc-123');
    expect(p.replaced).toEqual(['/?x=1#gallery']);
    // a reload of the cleaned URL still finds it
    p.location = { href: 'http://127.0.0.1:5000/?x=1#gallery' } as Location;
    expect(takePageToken(p)).toBe('abc-123');
  });

  it('is null without a token, and survives storage that throws', () => {
    expect(takePageToken(page('http://127.0.0.1:5000/'))).toBeNull();
    const p = page('http://127.0.0.1:5000/?token=t');
    p.sessionStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    } as unknown as Storage;
    expect(takePageToken(p)).toBe('t');
  });
});

describe('apiUrl', () => {
  it('points at the page’s own host, ws or wss', () => {
    expect(apiUrl({ protocol: 'http:', host: '127.0.0.1:5000' }, 'a/b+c')).toBe('ws://127.0.0.1:5000/api?token=a%2Fb%2Bc');
    expect(apiUrl({ protocol: 'https:', host: 'studio.local' }, 't')).toBe('wss://studio.local/api?token=t');
  });
});

describe('WsStudioClient', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  /** A tiny stand-in host: answers capabilities, and drops the connection on `cancelJob`. */
  async function fakeHost() {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    let connections = 0;
    wss.on('connection', (ws) => {
      connections++;
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { id: number; method: string };
        if (m.method === 'cancelJob') ws.terminate();
        else ws.send(JSON.stringify({ id: m.id, ok: true, result: { mode: 'browser', n: connections } }));
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as AddressInfo).port;
    closers.push(async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    });
    return { url: `ws://127.0.0.1:${port}/api?token=t`, origin: `http://127.0.0.1:${port}` };
  }

  it('fails a call with code unavailable when nothing listens', async () => {
    const api = new WsStudioClient('ws://127.0.0.1:1/api?token=t', { WebSocket: wsFrom('http://127.0.0.1:1'), connectTimeoutMs: 2000 });
    const e = await api.capabilities().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StudioError);
    expect((e as StudioError).code).toBe('unavailable');
  });

  it('fails calls in flight when the connection drops, and reconnects on the next call', async () => {
    const h = await fakeHost();
    const api = new WsStudioClient(h.url, { WebSocket: wsFrom(h.origin) });
    expect(await api.capabilities()).toMatchObject({ n: 1 });
    const e = await api.cancelJob({ jobId: 'x' }).catch((x: unknown) => x);
    expect((e as StudioError).code).toBe('unavailable');
    expect(await api.capabilities()).toMatchObject({ n: 2 });
    api.close();
  });

  it('refuses to send a request larger than the limit', async () => {
    const h = await fakeHost();
    const api = new WsStudioClient(h.url, { WebSocket: wsFrom(h.origin) });
    const e = await api.validate({ document: { big: 'x'.repeat(17 * 1024 * 1024) } }).catch((x: unknown) => x);
    expect((e as StudioError).code).toBe('bad-message');
    api.close();
  });

  it('without a token in the page, says how to get one', () => {
    const g = globalThis as Record<string, unknown>;
    const saved = { location: g.location, history: g.history, sessionStorage: g.sessionStorage };
    Object.assign(g, page('http://127.0.0.1:5000/'));
    try {
      expect(() => WsStudioClient.fromPage()).toThrow(/npm start/);
    } finally {
      Object.assign(g, saved);
    }
  });
});
