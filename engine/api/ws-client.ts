/**
 * StudioApi over the browser-mode WebSocket. Browser-safe: it uses the global WebSocket (tests pass
 * another constructor), and reads the one-time token from the page URL that `npm start` printed.
 *
 *   const api = WsStudioClient.fromPage();
 *   const templates = await api.listTemplates();
 *
 * The socket opens on the first call and again on the first call after it dropped; calls in flight
 * when it drops fail with StudioError code `unavailable`.
 */
import { StudioClient, type StudioTransport } from './client.js';
import { EventListeners } from './event-listeners.js';
import {
  MAX_MESSAGE_BYTES,
  StudioError,
  TOKEN_PARAM,
  WS_API_PATH,
  type Method,
  type StudioEvent,
  type WireResponse,
} from './studio-api.js';

/** The part of the WebSocket interface used here (the DOM one and `ws`'s both have it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: any) => void): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WsClientOptions {
  /** Defaults to the global WebSocket. */
  readonly WebSocket?: WebSocketConstructor;
  readonly connectTimeoutMs?: number;
}

const OPEN = 1;
const TOKEN_STORAGE_KEY = 'snn-studio.token';

export class WsTransport implements StudioTransport {
  private socket: WebSocketLike | null = null;
  private opening: Promise<WebSocketLike> | null = null;
  private readonly pending = new Map<number, (reply: WireResponse) => void>();
  private readonly events = new EventListeners();
  private nextId = 1;

  constructor(
    readonly url: string,
    private readonly options: WsClientOptions = {},
  ) {}

  async request(method: Method, params: unknown): Promise<WireResponse> {
    const id = this.nextId++;
    let text: string;
    try {
      text = JSON.stringify({ id, method, params });
    } catch (e) {
      return { id, ok: false, code: 'bad-message', error: `the request cannot be sent as JSON: ${(e as Error).message}` };
    }
    // The server refuses these too; refusing here saves sending megabytes for nothing.
    if (text.length > MAX_MESSAGE_BYTES) return { id, ok: false, code: 'bad-message', error: `the request is larger than ${MAX_MESSAGE_BYTES} bytes` };
    let socket: WebSocketLike;
    try {
      socket = await this.connect();
    } catch (e) {
      return { id, ok: false, code: 'unavailable', error: (e as Error).message };
    }
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        socket.send(text);
      } catch (e) {
        // closed between connect() and send(): the same answer as a drop mid-call
        this.pending.delete(id);
        resolve({ id, ok: false, code: 'unavailable', error: `the connection to the SNN Studio host closed: ${(e as Error).message}` });
      }
    });
  }

  onEvent(listener: (e: StudioEvent) => void): () => void {
    return this.events.add(listener);
  }

  close(): void {
    this.socket?.close(1000, 'client closed');
    this.socket = null;
  }

  private connect(): Promise<WebSocketLike> {
    if (this.socket && this.socket.readyState === OPEN) return Promise.resolve(this.socket);
    this.opening ??= this.open().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private open(): Promise<WebSocketLike> {
    const Ctor = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) return Promise.reject(new Error('no WebSocket implementation in this environment'));
    const socket = new Ctor(this.url);
    return new Promise((resolve, reject) => {
      let opened = false;
      const timer = setTimeout(() => {
        if (opened) return;
        socket.close();
        reject(new Error('the SNN Studio host did not answer (connection timed out)'));
      }, this.options.connectTimeoutMs ?? 10_000);
      socket.addEventListener('open', () => {
        opened = true;
        clearTimeout(timer);
        this.socket = socket;
        resolve(socket);
      });
      socket.addEventListener('message', (e: { data: unknown }) => this.receive(e.data));
      socket.addEventListener('close', (e: { code?: number; reason?: string }) => {
        clearTimeout(timer);
        if (this.socket === socket) this.socket = null;
        const why = e.reason ? `${e.reason} (${e.code})` : `code ${e.code ?? '?'}`;
        if (!opened) reject(new Error(`cannot connect to the SNN Studio host: ${why}; open the URL that \`npm start\` printed`));
        this.failPending(`the connection to the SNN Studio host closed: ${why}`);
      });
      // an 'error' is always followed by 'close', which does the work
      socket.addEventListener('error', () => {});
    });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if ('event' in message) {
      this.events.emit((message as { event: StudioEvent }).event);
      return;
    }
    const reply = message as WireResponse;
    if (typeof reply.id !== 'number') return;
    const resolve = this.pending.get(reply.id);
    if (!resolve) return;
    this.pending.delete(reply.id);
    resolve(reply);
  }

  private failPending(error: string): void {
    for (const [id, resolve] of this.pending) resolve({ id, ok: false, code: 'unavailable', error });
    this.pending.clear();
  }
}

export class WsStudioClient extends StudioClient {
  private readonly link: WsTransport;

  constructor(url: string, options: WsClientOptions = {}) {
    const transport = new WsTransport(url, options);
    super(transport);
    this.link = transport;
  }

  /** A client for the page it runs in: same host and port, token from the URL (or this tab's storage). */
  static fromPage(options: WsClientOptions = {}): WsStudioClient {
    const token = takePageToken();
    if (!token) throw new StudioError('this page was opened without its access token: open the URL that `npm start` printed', 'unavailable');
    return new WsStudioClient(apiUrl(globalThis.location, token), options);
  }

  close(): void {
    this.link.close();
  }
}

/** `ws://host:port/api?token=…` for a page served at `location`. */
export function apiUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_API_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

/**
 * The token from the page URL, kept in this tab's sessionStorage and removed from the address bar,
 * so that a reload still connects while the token does not sit in history or in a screenshot.
 */
export function takePageToken(page: Pick<typeof globalThis, 'location' | 'history' | 'sessionStorage'> = globalThis): string | null {
  const url = new URL(page.location.href);
  const fromUrl = url.searchParams.get(TOKEN_PARAM);
  if (fromUrl) {
    safely(() => page.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl));
    url.searchParams.delete(TOKEN_PARAM);
    safely(() => page.history.replaceState(page.history.state, '', `${url.pathname}${url.search}${url.hash}`));
    return fromUrl;
  }
  return safely(() => page.sessionStorage.getItem(TOKEN_STORAGE_KEY)) ?? null;
}

/** Storage and history can throw (disabled storage, sandboxed frames); the token still works for this load. */
function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
