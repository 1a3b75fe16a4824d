/**
 * The compile thread's entry: compiles each document it is sent, one at a time, and answers with
 * the API's compile response or the error's message. Running here, a compile of any size leaves
 * the host's own thread free to answer the renderer.
 */
import { parentPort } from 'node:worker_threads';
import { compileDocumentHere } from './analysis.js';
import type { CompileReply, CompileRequest } from './compile-thread.js';

const port = parentPort!;
port.on('message', (m: CompileRequest) => {
  let reply: CompileReply;
  try {
    reply = { id: m.id, ok: true, response: compileDocumentHere(m.document, m.batch) };
  } catch (e) {
    reply = { id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
