/**
 * Reading and writing `.snn.json` files. A read goes through the one document loader (migration,
 * schema, located problems); a write is atomic (temporary file, fsync, rename), so a crash never
 * leaves a half-written document.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseDocumentText } from '../../core/document/load.js';
import type { GraphDocument } from '../../core/document/schema.js';
import { formatProblem, type Problem } from '../../core/problems.js';
import { writeFileAtomic } from '../../runtime/checkpoint/atomic-write.js';
import { failed, HostError } from '../errors.js';

/** A graph document is kilobytes; this only keeps a wrong pick (a dataset dump) from filling memory. */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export interface LoadedDocumentFile {
  readonly document: GraphDocument;
  readonly migratedFrom: number;
}

export async function readDocumentFile(path: string): Promise<LoadedDocumentFile> {
  const size = (await stat(path)).size;
  if (size > MAX_DOCUMENT_BYTES) throw failed(`${basename(path)}: ${size} bytes is too large for a graph document`);
  const parsed = parseDocumentText(await readFile(path, 'utf8'));
  if (!parsed.ok) throw failed(`${basename(path)} is not a graph document: ${summarise(parsed.problems)}`);
  return { document: parsed.doc, migratedFrom: parsed.migratedFrom };
}

export async function writeDocumentFile(path: string, document: GraphDocument): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
}

/** The first few problems, each with its place (`nodes[3] "conv1".params.kernel: …`). */
export function summarise(problems: readonly Problem[], max = 5): string {
  const shown = problems.slice(0, max).map(formatProblem).join('; ');
  return problems.length > max ? `${shown}; and ${problems.length - max} more` : shown;
}

/** A document the renderer sends must pass the schema before the host writes or runs it. */
export function schemaError(problems: readonly Problem[]): HostError {
  return new HostError('invalid-params', `the document does not match the schema: ${summarise(problems)}`);
}
