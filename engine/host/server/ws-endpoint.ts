/**
 * The browser-mode API endpoint. An upgrade is accepted only with the right token, from the app's
 * own page (Origin) and addressed to this server by name (Host, which stops DNS rebinding: a web
 * page whose domain suddenly resolves to 127.0.0.1 still sends its own name). Each text frame is
 * one request, answered by the dispatcher; events go to every connected page.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, TOKEN_PARAM, WS_API_PATH, type WireEvent, type WireResponse } from '../../api/wire.js';
import type { Dispatch } from '../dispatch.js';
import { tokenMatches } from './access-token.js';

export interface UpgradePolicy {
  readonly token: string;
  /** `http://127.0.0.1:PORT` and `http://localhost:PORT`. */
  readonly origins: readonly string[];
  /** `127.0.0.1:PORT` and `localhost:PORT`. */
  readonly hosts: readonly string[];
}

export type UpgradeDecision = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403 | 404; readonly reason: string };

export function authorizeUpgrade(req: { readonly url?: string | undefined; readonly headers: IncomingHttpHeaders }, policy: UpgradePolicy): UpgradeDecision {
  const url = new URL(req.url ?? '/', 'http://upgrade.invalid');
  if (url.pathname !== WS_API_PATH) return { ok: false, status: 404, reason: 'no such endpoint' };
  if (!policy.hosts.includes(req.headers.host ?? '')) return { ok: false, status: 403, reason: 'wrong Host' };
  if (!policy.origins.includes(req.headers.origin ?? '')) return { ok: false, status: 403, reason: 'wrong Origin' };
  if (!tokenMatches(policy.token, url.searchParams.get(TOKEN_PARAM))) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}

/** Answers each request on `socket`; a bad message gets an error reply and the connection stays up. */
export function serveConnection(socket: WebSocket, dispatch: Dispatch, maxMessageBytes: number): void {
  // ws reports an over-long frame as an 'error' and then closes with 1009; without a listener that
  // error would be thrown and end the process
  socket.on('error', () => {});
  socket.on('message', (data, isBinary) => {
    void answer(socket, data as Buffer, isBinary, dispatch, maxMessageBytes);
  });
}

async function answer(socket: WebSocket, data: Buffer, isBinary: boolean, dispatch: Dispatch, maxMessageBytes: number): Promise<void> {
  let reply: WireResponse;
  if (isBinary) reply = { id: null, ok: false, code: 'bad-message', error: 'binary frames are not requests; send JSON text' };
  else if (data.length > maxMessageBytes) {
    reply = { id: null, ok: false, code: 'bad-message', error: `message of ${data.length} bytes is larger than the ${maxMessageBytes}-byte limit` };
  } else {
    const decoded = decodeMessage(data.toString('utf8'), maxMessageBytes);
    reply = decoded.ok ? await dispatch(decoded.message) : decoded.reply;
  }
  send(socket, reply);
}

/** Text from the socket → a message for the dispatcher, or the error reply when it is not JSON or too big. */
export function decodeMessage(text: string, maxBytes = MAX_MESSAGE_BYTES): { ok: true; message: unknown } | { ok: false; reply: WireResponse } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) return { ok: false, reply: { id: null, ok: false, code: 'bad-message', error: `message of ${bytes} bytes is larger than the ${maxBytes}-byte limit` } };
  try {
    return { ok: true, message: JSON.parse(text) };
  } catch {
    return { ok: false, reply: { id: null, ok: false, code: 'bad-message', error: 'message is not JSON' } };
  }
}

export function send(socket: WebSocket, message: WireResponse | WireEvent): void {
  if (socket.readyState !== socket.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(message);
  } catch (e) {
    // a result that is not JSON (a bug in a method) still gets an answer
    const id = 'id' in message ? message.id : null;
    text = JSON.stringify({ id, ok: false, code: 'failed', error: `the reply could not be sent: ${(e as Error).message}` });
  }
  socket.send(text);
}
