/**
 * Which files the studio reads and writes: graph documents (`.snn.json`; plain `.json` opens too,
 * for documents written by hand) and ONNX exports. The extension is forced on save so that a
 * picked name can never point a write at some other kind of file.
 */
import type { FilePurpose } from '../../api/studio-api.js';

export const DOCUMENT_EXTENSION = '.snn.json';
export const EXPORT_EXTENSION = '.onnx';

/**
 * Grants are per kind: choosing an export target does not make it openable as a document, and a
 * dataset folder is only read by training.
 */
export type GrantKind = 'document' | 'export' | 'dataset';

export function grantKindOf(purpose: FilePurpose): GrantKind {
  return purpose === 'export' ? 'export' : purpose === 'dataset' ? 'dataset' : 'document';
}

/** Whether the picker lists file `name` for `purpose` (a dataset is a folder: no file fits). */
export function matchesPurpose(name: string, purpose: FilePurpose): boolean {
  const lower = name.toLowerCase();
  if (purpose === 'dataset') return false;
  return purpose === 'export' ? lower.endsWith(EXPORT_EXTENSION) : lower.endsWith('.json');
}

/** `model` → `model.snn.json` (save) or `model.onnx` (export); names that already fit are kept. */
export function withExtension(name: string, purpose: 'save' | 'export'): string {
  if (purpose === 'export') return name.toLowerCase().endsWith(EXPORT_EXTENSION) ? name : `${name}${EXPORT_EXTENSION}`;
  return name.toLowerCase().endsWith('.json') ? name : `${name}${DOCUMENT_EXTENSION}`;
}

/** A file name, not a path: no separators, no `.`/`..`, no NUL, within the usual 255-byte limit. */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}
