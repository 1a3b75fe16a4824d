/**
 * A failure the host reports to the caller as an error reply with a code (see ErrorCode): thrown
 * anywhere below the dispatcher, turned into `{ ok: false, code, error }` there.
 */
import type { ErrorCode } from '../api/studio-api.js';

export class HostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

export function denied(message: string): HostError {
  return new HostError('denied', message);
}

export function unavailable(message: string): HostError {
  return new HostError('unavailable', message);
}

export function failed(message: string): HostError {
  return new HostError('failed', message);
}
