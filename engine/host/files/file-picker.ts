/**
 * Browser mode's file picker, host side. A browser page has no native dialog that yields a path, so
 * the renderer shows a picker fed by `browse` (one folder at a time) and confirms with `choose`.
 * The picker never leaves its roots (the user's home and the working directory): every folder and
 * file is resolved through symlinks first, so a link cannot lead outside. `choose` is the user's
 * choice and grants the path, exactly as a native dialog's answer does on the desktop.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { DirectoryEntry, DirectoryListing, FilePurpose, FileRef } from '../../api/studio-api.js';
import { denied, failed } from '../errors.js';
import { grantKindOf, isPlainFileName, matchesPurpose, WEIGHTS_EXTENSIONS, withExtension } from './file-kinds.js';
import type { FileAccessPolicy } from './file-policy.js';

/** A folder with more entries than this is listed in part (the picker is for documents, not for /usr). */
const MAX_ENTRIES = 2000;

export class FilePicker {
  private constructor(
    private readonly roots: readonly string[],
    private readonly policy: FileAccessPolicy,
  ) {}

  /** Roots that do not exist are dropped; the first root is where browsing starts. */
  static async create(roots: readonly string[], policy: FileAccessPolicy): Promise<FilePicker> {
    const real: string[] = [];
    for (const r of roots) {
      const p = await realpath(r).catch(() => null);
      if (p && !real.includes(p)) real.push(p);
    }
    return new FilePicker(real, policy);
  }

  rootRefs(): FileRef[] {
    return this.roots.map((path) => ({ path, name: basename(path) || path }));
  }

  async browse(dir: string | undefined, purpose: FilePurpose): Promise<DirectoryListing> {
    const start = dir ?? this.roots[0];
    if (start === undefined) throw denied('the file picker has no folder it may show');
    const real = await this.inside(start);
    if (!(await stat(real)).isDirectory()) throw failed(`${start}: not a folder`);
    const dirents = await readdir(real, { withFileTypes: true });
    const entries: DirectoryEntry[] = [];
    for (const d of dirents) {
      if (entries.length >= MAX_ENTRIES) break;
      if (d.name.startsWith('.')) continue; // hidden files and our own atomic-write temporaries
      const kind = await entryKind(real, d);
      if (kind === 'dir' || (kind === 'file' && matchesPurpose(d.name, purpose))) entries.push({ name: d.name, path: join(real, d.name), kind });
    }
    entries.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind === 'dir' ? -1 : 1));
    const parent = this.roots.includes(real) ? null : dirname(real);
    return { dir: real, parent, entries, roots: this.rootRefs() };
  }

  /** The user confirmed `path` in the picker: check it, grant it, and return it as the host will use it. */
  async choose(path: string, purpose: FilePurpose): Promise<FileRef> {
    if (!isAbsolute(path)) throw denied(`${path}: the picker works with absolute paths`);
    let target: string;
    if (purpose === 'open') {
      target = await this.inside(path);
      if (!(await stat(target)).isFile()) throw failed(`${path}: not a file`);
      if (!matchesPurpose(target, 'open')) throw denied(`${path}: only graph documents (.snn.json, .json) can be opened`);
    } else if (purpose === 'weights') {
      target = await this.inside(path);
      if (!(await stat(target)).isFile()) throw failed(`${path}: not a file`);
      if (!matchesPurpose(target, 'weights')) throw denied(`${path}: only weights files (${WEIGHTS_EXTENSIONS.join(', ')}) can be imported`);
    } else if (purpose === 'dataset') {
      target = await this.inside(path);
      if (!(await stat(target)).isDirectory()) throw failed(`${path}: a dataset is a folder`);
    } else {
      const name = basename(path);
      // basename('/a/dir/') is 'dir': a path ending in a separator names a folder, not a new file
      if (!isPlainFileName(name) || /[/\\]$/.test(path)) throw denied(`${path}: not a valid file name`);
      const folder = await this.inside(dirname(path));
      target = join(folder, withExtension(name, purpose));
      const existing = await lstat(target).catch(() => null);
      // an existing link is followed and checked like any other path; anything but a file is refused
      if (existing?.isSymbolicLink()) target = await this.inside(target);
      // a PyTorch export is a folder: an existing one is replaced (the host checks it holds an earlier export)
      if (existing && purpose === 'pytorch' && !(await stat(target)).isDirectory()) throw failed(`${target}: exists and is not a folder`);
      if (existing && purpose !== 'pytorch' && !(await stat(target)).isFile()) throw failed(`${target}: exists and is not a file`);
    }
    this.policy.grant(target, grantKindOf(purpose));
    return { path: target, name: basename(target) };
  }

  /** The real path of `p` if it lies inside a root; otherwise `denied` (also for paths that do not exist). */
  private async inside(p: string): Promise<string> {
    if (!isAbsolute(p)) throw denied(`${p}: the picker works with absolute paths`);
    const outside = () => denied(`${p}: outside the folders the picker may show (${this.roots.join(', ')})`);
    const real = await realpath(p).catch(() => null);
    // a missing path outside the roots is "outside", so that the answer does not reveal what exists there
    if (real === null) throw this.roots.some((root) => isWithin(p, root)) ? failed(`${p}: does not exist`) : outside();
    if (!this.roots.some((root) => isWithin(real, root))) throw outside();
    return real;
  }
}

export function isWithin(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

async function entryKind(dir: string, d: Dirent): Promise<'dir' | 'file' | null> {
  if (d.isDirectory()) return 'dir';
  if (d.isFile()) return 'file';
  if (!d.isSymbolicLink()) return null;
  // a link is shown as what it points to; browsing into it or choosing it is checked against the roots
  const s = await stat(join(dir, d.name)).catch(() => null);
  return s?.isDirectory() ? 'dir' : s?.isFile() ? 'file' : null;
}
