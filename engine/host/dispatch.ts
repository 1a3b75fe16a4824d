/**
 * The host's boundary: every incoming message, whatever the transport, is validated here before
 * any method runs, and every failure becomes an error reply. Nothing a client sends — a value that
 * is not a request, an unknown method, wrong params — can throw past this. (Text that is not JSON
 * or too large never gets this far: the WebSocket endpoint answers it.)
 */
import type { z } from 'zod';
import { isMethod, requestIdOf, requestSchemas, wireRequestSchema, type StudioMethods, type WireResponse } from '../api/studio-api.js';
import { HostError } from './errors.js';

export type Dispatch = (message: unknown) => Promise<WireResponse>;

export function createDispatcher(host: StudioMethods): Dispatch {
  return async (message) => {
    const envelope = wireRequestSchema.safeParse(message);
    if (!envelope.success) return { id: requestIdOf(message), ok: false, code: 'bad-message', error: `not a request: ${issues(envelope.error)}` };
    const { id, method, params } = envelope.data;
    if (!isMethod(method)) return { id, ok: false, code: 'unknown-method', error: `unknown method "${method.slice(0, 100)}"` };
    const parsed = requestSchemas[method].safeParse(params ?? {});
    if (!parsed.success) return { id, ok: false, code: 'invalid-params', error: `${method}: ${issues(parsed.error)}` };
    try {
      const result = await (host[method] as (p: unknown) => Promise<unknown>).call(host, parsed.data);
      return { id, ok: true, result };
    } catch (e) {
      if (e instanceof HostError) return { id, ok: false, code: e.code, error: e.message };
      // not a refusal but a failure (a file that vanished, a bug): the caller gets the message, the log the stack
      console.error(`snn-studio host: ${method} failed:`, e);
      return { id, ok: false, code: 'failed', error: e instanceof Error ? e.message : String(e) };
    }
  };
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
