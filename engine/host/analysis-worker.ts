/**
 * The analysis thread's entry: validates or compiles each document it is sent, one at a time, and
 * answers with the API's response or the error's message. Running here, an analysis of any size
 * leaves the host's own thread free to answer the renderer.
 */
import { parentPort } from 'node:worker_threads';
import { compileDocument, validateDocument } from './analysis.js';
import type { AnalysisReply, AnalysisRequest } from './analysis-thread.js';

const port = parentPort!;
port.on('message', (m: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    const response = m.op === 'validate' ? validateDocument(m.document, m.limits) : compileDocument(m.document, m.batch, m.limits);
    reply = { id: m.id, ok: true, response };
  } catch (e) {
    reply = { id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
