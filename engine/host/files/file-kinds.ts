/**
 * Which files the studio reads and writes: graph documents (`.snn.json`; plain `.json` opens too,
 * for documents written by hand), ONNX exports, and a run's metrics (`.csv`) and charts (`.png`).
 * The extension is forced on save so that a picked name can never point a write at some other kind
 * of file.
 */
import type { FilePurpose } from '../../api/studio-api.js';

export const DOCUMENT_EXTENSION = '.snn.json';
export const EXPORT_EXTENSION = '.onnx';

/** Purposes that write a new file, and the extension each forces. */
export type SavePurpose = 'save' | 'export' | 'metrics' | 'image';
const OUTPUT_EXTENSION: Readonly<Record<Exclude<SavePurpose, 'save'>, string>> = { export: EXPORT_EXTENSION, metrics: '.csv', image: '.png' };

/**
 * Grants are per kind: choosing an export target does not make it openable as a document, and a
 * dataset folder is only read by training.
 */
export type GrantKind = 'document' | 'export' | 'dataset';

export function grantKindOf(purpose: FilePurpose): GrantKind {
  return purpose === 'open' || purpose === 'save' ? 'document' : purpose === 'dataset' ? 'dataset' : 'export';
}

/** Whether the picker lists file `name` for `purpose` (a dataset is a folder: no file fits). */
export function matchesPurpose(name: string, purpose: FilePurpose): boolean {
  const lower = name.toLowerCase();
  if (purpose === 'dataset') return false;
  return purpose === 'open' || purpose === 'save' ? lower.endsWith('.json') : lower.endsWith(OUTPUT_EXTENSION[purpose]);
}

/** `model` → `model.snn.json` (save), `model.onnx` (export), `.csv` or `.png`; names that already fit are kept. */
export function withExtension(name: string, purpose: SavePurpose): string {
  if (purpose === 'save') return name.toLowerCase().endsWith('.json') ? name : `${name}${DOCUMENT_EXTENSION}`;
  const ext = OUTPUT_EXTENSION[purpose];
  return name.toLowerCase().endsWith(ext) ? name : `${name}${ext}`;
}

/** A file name, not a path: no separators, no `.`/`..`, no NUL, within the usual 255-byte limit. */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}
