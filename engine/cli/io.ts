/** CLI plumbing: reading documents with located errors, printing, and a usage error type. */
import { parseDocumentText } from '../core/document/load.js';
import type { GraphDocument } from '../core/document/schema.js';
import { formatProblem, type Problem } from '../core/problems.js';
import { DEFAULT_LIMITS, LIMIT_NAMES, parseLimits, type Limits } from '../core/limits/limits.js';
import { FileReadError, readRegularFileSync } from '../runtime/read-regular.js';

/** Far above any real document (the largest template is a few hundred KB). */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/** Exit codes, one per kind of failure (listed by `snn-studio --help`). */
export const EXIT = {
  ok: 0,
  /** The input is wrong: an invalid document, a damaged checkpoint or dataset, a limit exceeded. */
  invalid: 1,
  /** The command line is wrong: an unknown command or flag, a bad flag value. */
  usage: 2,
  /** A file could not be read or written (missing, not a regular file, permission, disk full). */
  io: 3,
  /** The engine or ONNX Runtime failed on input that passed every check (or the output is NaN). */
  runtime: 4,
  /** Stopped by Ctrl-C. */
  cancelled: 130,
} as const;

/** A failure the user caused (bad flag, missing file, invalid document): printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalid,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function readDocument(path: string): GraphDocument {
  const text = readUserFile(path, MAX_DOCUMENT_BYTES, 'document').toString('utf8');
  const parsed = parseDocumentText(text);
  if (!parsed.ok) throw new CliError(problemsText(path, parsed.problems));
  return parsed.doc;
}

/** A regular file up to `maxBytes`, or a CliError with the I/O exit code (an oversized file is invalid input). */
export function readUserFile(path: string, maxBytes: number, what: string): Buffer {
  try {
    return readRegularFileSync(path, maxBytes, what);
  } catch (e) {
    if (e instanceof FileReadError) throw new CliError(e.message, e.code === 'EFBIG' ? EXIT.invalid : EXIT.io);
    throw e;
  }
}

export function problemsText(file: string, problems: readonly Problem[]): string {
  return problems.map((p) => `${file}: ${formatProblem(p)}`).join('\n');
}

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Every message to stderr is clipped: a located error must never echo a 10 MB string back whole. */
export function err(line: string): void {
  process.stderr.write(`${clipMessage(line)}\n`);
}

/** At most `maxLines` lines of at most `maxLine` characters: a message never echoes a huge input. */
export function clipMessage(text: string, maxLine = 400, maxLines = 30): string {
  const lines = text.split('\n');
  const kept = lines.slice(0, maxLines).map((l) => (l.length > maxLine ? `${l.slice(0, maxLine)}… (${l.length - maxLine} more characters)` : l));
  if (lines.length > maxLines) kept.push(`… and ${lines.length - maxLines} more lines`);
  return kept.join('\n');
}


/** Right-aligned thousands separators: 9,324,730. */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function table(rows: readonly (readonly string[])[], rightAlign: ReadonlySet<number> = new Set()): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (rightAlign.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd())
    .join('\n');
}

/** `--limit name=value`, repeatable: raises (or lowers) what validation lets compile build. */
export const LIMIT_OPTION = { limit: { type: 'string', multiple: true } } as const;

export const LIMIT_HELP = `--limit name=value raises a validation limit (${LIMIT_NAMES.map((n) => `${n}=${DEFAULT_LIMITS[n]}`).join(', ')})`;

export function limitsFrom(pairs: readonly string[] | undefined): Limits {
  try {
    return parseLimits(pairs ?? []);
  } catch (e) {
    throw new CliError(`--limit: ${(e as Error).message}`, EXIT.usage);
  }
}

/**
 * Words of `text` in lines of at most `width` characters, the first after `first`, the others
 * after `rest` (a word longer than the line stands alone): lists that must fit a terminal.
 */
export function wrapWords(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = '';
  const indent = () => (lines.length === 0 ? first : rest);
  for (const word of text.split(' ')) {
    if (line !== '' && indent().length + line.length + 1 + word.length > width) {
      lines.push(indent() + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent() + line);
  return lines;
}
