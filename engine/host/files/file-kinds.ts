/**
 * Which files the studio reads and writes: graph documents (`.snn.json`; plain `.json` opens too,
 * for documents written by hand), ONNX and NIR exports, PyTorch exports (a folder), weights to
 * import (`.pth`, `.pt`, `.safetensors`), and a run's metrics (`.csv`) and charts (`.png`). The
 * extension is forced on save so that a picked name can never point a write at some other kind of
 * file.
 */
import type { FilePurpose } from '../../api/studio-api.js';

export const DOCUMENT_EXTENSION = '.snn.json';
export const EXPORT_EXTENSION = '.onnx';
export const WEIGHTS_EXTENSIONS = ['.pth', '.pt', '.safetensors'] as const;

/** Purposes that write a new file (or, for `pytorch`, a new folder), and the extension each forces. */
export type SavePurpose = 'save' | 'export' | 'metrics' | 'image' | 'pytorch' | 'nir';
/** Purposes that pick something that exists. */
export type OpenPurpose = 'open' | 'dataset' | 'weights';
// a PyTorch export is a folder of several files: its name takes no extension
const OUTPUT_EXTENSION: Readonly<Record<Exclude<SavePurpose, 'save'>, string>> = { export: EXPORT_EXTENSION, metrics: '.csv', image: '.png', pytorch: '', nir: '.nir' };

/**
 * Grants are per kind: choosing an export target does not make it openable as a document, a
 * dataset folder is only read by training, and a weights file only by an import.
 */
export type GrantKind = 'document' | 'export' | 'dataset' | 'weights';

export function grantKindOf(purpose: FilePurpose): GrantKind {
  return purpose === 'open' || purpose === 'save' ? 'document' : purpose === 'dataset' ? 'dataset' : purpose === 'weights' ? 'weights' : 'export';
}

export function picksExisting(purpose: FilePurpose): purpose is OpenPurpose {
  return purpose === 'open' || purpose === 'dataset' || purpose === 'weights';
}

/** Whether the picker lists file `name` for `purpose` (a dataset and a PyTorch export are folders: no file fits). */
export function matchesPurpose(name: string, purpose: FilePurpose): boolean {
  const lower = name.toLowerCase();
  if (purpose === 'dataset' || purpose === 'pytorch') return false;
  if (purpose === 'weights') return WEIGHTS_EXTENSIONS.some((ext) => lower.endsWith(ext));
  return purpose === 'open' || purpose === 'save' ? lower.endsWith('.json') : lower.endsWith(OUTPUT_EXTENSION[purpose]);
}

/** `model` → `model.snn.json` (save), `model.onnx` (export), `model.nir`, `.csv` or `.png`; names that already fit are kept. */
export function withExtension(name: string, purpose: SavePurpose): string {
  if (purpose === 'save') return name.toLowerCase().endsWith('.json') ? name : `${name}${DOCUMENT_EXTENSION}`;
  const ext = OUTPUT_EXTENSION[purpose];
  return name.toLowerCase().endsWith(ext) ? name : `${name}${ext}`;
}

/** A file name, not a path: no separators, no `.`/`..`, no NUL, within the usual 255-byte limit. */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}
