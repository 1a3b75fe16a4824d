/** CLI plumbing: reading documents with located errors, printing, and a usage error type. */
import { readFileSync } from 'node:fs';
import { parseDocumentText } from '../core/document/load.js';
import type { GraphDocument } from '../core/document/schema.js';
import { formatProblem, type Problem } from '../core/problems.js';

/** A failure the user caused (bad flag, missing file, invalid document): printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function readDocument(path: string): GraphDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = parseDocumentText(text);
  if (!parsed.ok) throw new CliError(problemsText(path, parsed.problems));
  return parsed.doc;
}

export function problemsText(file: string, problems: readonly Problem[]): string {
  return problems.map((p) => `${file}: ${formatProblem(p)}`).join('\n');
}

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function err(line: string): void {
  process.stderr.write(`${line}\n`);
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
