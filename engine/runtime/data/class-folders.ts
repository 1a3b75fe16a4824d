/**
 * The "one sub-folder per class" layout shared by image and event folders (torchvision's
 * ImageFolder, SpikingJelly's frame folders): class names are the sub-folder names, sorted by code
 * point as Python's `sorted` does, so label indices agree with those libraries.
 */
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DatasetError } from './dataset.js';

export interface ClassFolders {
  classes: string[];
  /** `files[c]`: the sample files of class c, sorted by name. */
  files: string[][];
}

/** Lists the class folders of `dir` and their files whose extension (lower-cased) is in `extensions`. */
export function listClassFolders(dir: string, extensions: readonly string[]): ClassFolders {
  const classes = entries(dir)
    .filter((e) => e.isDirectory() && !isHidden(e.name))
    .map((e) => e.name)
    .sort(byCodePoint);
  if (classes.length === 0) throw new DatasetError(dir, 'no class sub-folders (expected one folder per class)');
  const files = classes.map((cls) => {
    const folder = join(dir, cls);
    const found = entries(folder)
      .filter((e) => e.isFile() && !isHidden(e.name) && extensions.includes(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort(byCodePoint);
    if (found.length === 0) throw new DatasetError(folder, `class folder holds no ${extensions.join('/')} files`);
    return found.map((name) => join(folder, name));
  });
  return { classes, files };
}

/** Whether `dir` has at least one class sub-folder holding a file with one of `extensions`. */
export function looksLikeClassFolders(dir: string, extensions: readonly string[]): boolean {
  return entries(dir).some(
    (e) => e.isDirectory() && !isHidden(e.name) && entries(join(dir, e.name)).some((f) => f.isFile() && extensions.includes(extname(f.name).toLowerCase())),
  );
}

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new DatasetError(dir, `cannot list folder: ${(e as Error).message}`);
  }
}

/** Dot files and `__MACOSX`-style folders come from archivers, not from the dataset. */
function isHidden(name: string): boolean {
  return name.startsWith('.') || name.startsWith('__');
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
