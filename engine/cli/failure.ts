/**
 * How a failed command ends: one short message naming the file or place, and an exit code that says
 * which kind of failure it was, so a script can tell a typo from a full disk. The stack trace is
 * for `--debug` only; a user needs the sentence.
 */
import { DatasetError } from '../runtime/data/dataset.js';
import { CheckpointError } from '../runtime/checkpoint/checkpoint-error.js';
import { FileReadError } from '../runtime/read-regular.js';
import { ProblemsError } from '../core/problems.js';
import { CliError, EXIT } from './io.js';

export interface Failure {
  readonly code: number;
  readonly message: string;
}

/** errno names that mean the file system, not the input, is at fault. */
const IO_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOTREG', 'ENOSPC', 'EROFS', 'EMFILE', 'ENFILE', 'EIO', 'EEXIST', 'EBUSY', 'EXDEV', 'ENAMETOOLONG', 'ELOOP', 'EDQUOT']);

export function describeFailure(e: unknown, command: string): Failure {
  if (e instanceof CliError) return { code: e.exitCode, message: e.message };
  if (isParseArgsError(e)) return { code: EXIT.usage, message: `${(e as Error).message}; see snn-studio --help` };
  const ioCode = errnoOf(e);
  if (ioCode !== undefined && IO_CODES.has(ioCode)) return { code: EXIT.io, message: messageOf(e) };
  if (e instanceof ProblemsError || e instanceof DatasetError || e instanceof CheckpointError || e instanceof FileReadError) {
    return { code: EXIT.invalid, message: messageOf(e) };
  }
  // anything else is a failure of the engine or ONNX Runtime on input that passed every check
  return { code: EXIT.runtime, message: `${command} failed: ${messageOf(e)} (run with --debug for the stack trace)` };
}

function isParseArgsError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS');
}

/** The errno name of an error or of any error in its `cause` chain. */
function errnoOf(e: unknown): string | undefined {
  for (let at: unknown = e, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth++) {
    const code = (at as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
