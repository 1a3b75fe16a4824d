/**
 * Browser mode's server: the built renderer and the API WebSocket on 127.0.0.1, at a random port,
 * guarded by a one-time token that only the printed URL carries. Binding to the loopback address
 * keeps other machines out; the token, Origin and Host checks keep out other local users and web
 * pages (see ws-endpoint.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StudioEvent } from '../../api/studio-api.js';
import { MAX_MESSAGE_BYTES, TOKEN_PARAM } from '../../api/wire.js';
import type { Dispatch } from '../dispatch.js';
import { createAccessToken } from './access-token.js';
import { contentSecurityPolicy } from './csp.js';
import { readStaticFile } from './static-files.js';
import { authorizeUpgrade, send, serveConnection, type UpgradePolicy } from './ws-endpoint.js';

export interface StudioServerOptions {
  readonly dispatch: Dispatch;
  /** Subscribes to the host's events; they are pushed to every connected page. */
  readonly subscribe: (listener: (e: StudioEvent) => void) => () => void;
  /** The built renderer (renderer/dist). */
  readonly staticRoot: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Larger requests get an error reply. */
  readonly maxMessageBytes?: number;
  /** Larger frames are not even read: the socket is closed (1009). */
  readonly maxFrameBytes?: number;
}

export interface StudioServer {
  /** The page to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = createAccessToken();
  const maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? maxMessageBytes * 4 });
  let policy: UpgradePolicy | null = null;
  let csp = contentSecurityPolicy();

  const http = createServer((req, res) => {
    void serveStatic(req, res, options.staticRoot, policy, csp);
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {});
    const decision = policy ? authorizeUpgrade(req, policy) : ({ ok: false, status: 403, reason: 'starting' } as const);
    if (!decision.ok) {
      socket.end(`HTTP/1.1 ${decision.status} ${decision.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      serveConnection(ws, options.dispatch, maxMessageBytes);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${port}`;
  policy = { token, origins: [origin, `http://localhost:${port}`], hosts: [`${LOOPBACK}:${port}`, `localhost:${port}`] };
  csp = contentSecurityPolicy([`ws://${LOOPBACK}:${port}`, `ws://localhost:${port}`]);
  const unsubscribe = options.subscribe((event) => {
    for (const ws of sockets) send(ws, { event });
  });

  return {
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    origin,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, policy: UpgradePolicy | null, csp: string): Promise<void> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // the page URL carries the token: never send it anywhere as a referrer
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
  const reply = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  try {
    if (!policy || !policy.hosts.includes(req.headers.host ?? '')) return reply(403, 'wrong Host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return reply(405, 'method not allowed\n');
    }
    const pathname = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
    const file = await readStaticFile(root, pathname);
    if (file.status !== 200) return reply(file.status, `${file.reason}\n`);
    reply(200, file.body, file.contentType);
  } catch (e) {
    reply(500, `${(e as Error).message}\n`);
  }
}
