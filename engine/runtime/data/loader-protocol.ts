/**
 * Messages between a BatchLoader and its worker. Requests name the batch they want (epoch, index),
 * so the worker holds no iteration state and answers are matched by id, not by arrival order.
 */
import type { Batch } from './batch-maker.js';
import { DatasetError } from './dataset.js';
import type { LoaderInfo } from './loader-source.js';

export type ToWorker = { type: 'batch'; id: number; epoch: number; index: number };

export type FromWorker =
  | { type: 'ready'; info: LoaderInfo }
  | { type: 'batch'; id: number; batch: Batch }
  | { type: 'error'; id?: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  file?: string;
  offset?: number;
}

/** Structured clone keeps an Error's message but not its class or fields; this keeps DatasetError's. */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const out: SerializedError = { name: e.name, message: e.message, stack: e.stack };
  if (e instanceof DatasetError) {
    out.file = e.file;
    out.offset = e.offset;
  }
  return out;
}

export function reviveError(s: SerializedError): Error {
  let e: Error;
  if (s.name === 'DatasetError' && s.file !== undefined && s.message.startsWith(`${s.file}: `)) {
    e = new DatasetError(s.file, s.message.slice(s.file.length + 2), s.offset);
  } else {
    e = s.name === 'RangeError' ? new RangeError(s.message) : new Error(s.message);
  }
  if (s.stack) e.stack = s.stack;
  return e;
}
