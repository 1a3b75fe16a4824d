/**
 * "Only paths the user chose": the host reads or writes a file only when its path was granted —
 * returned by a native dialog, confirmed in the browser-mode picker, or remembered from an earlier
 * choice (recent files, the autosaved document's own file). Any other path is refused, whatever the
 * renderer sends: a compromised or buggy page cannot make the host touch an arbitrary file.
 *
 * The app's own folders (its config folder: recent files, autosave, settings) are never granted,
 * even when the picker or a dialog names a path inside them: a page must not be able to overwrite
 * the host's own state by "saving a document" over it.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { denied } from '../errors.js';
import type { GrantKind } from './file-kinds.js';

export class FileAccessPolicy {
  private readonly granted = new Map<string, Set<GrantKind>>();
  private readonly protectedDirs: string[] = [];

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  /**
   * Marks `dir` (as written and through its links, where it exists) as the app's own: nothing in
   * it is ever granted.
   */
  async protect(dir: string): Promise<void> {
    const abs = normalize(resolve(dir));
    const spellings = [abs];
    // the folder may not exist yet: the real path of its nearest existing ancestor stands in
    const rest: string[] = [];
    for (let at = abs; ; at = dirname(at)) {
      const real = await realpath(at).catch(() => null);
      if (real !== null) {
        spellings.push(join(real, ...rest));
        break;
      }
      if (dirname(at) === at) break;
      rest.unshift(basename(at));
    }
    for (const s of spellings) if (!this.protectedDirs.includes(this.fold(s))) this.protectedDirs.push(this.fold(s));
  }

  /** Whether `path` lies in one of the app's own folders. */
  isProtected(path: string): boolean {
    const p = this.key(path);
    return this.protectedDirs.some((dir) => {
      const rel = relative(dir, p);
      return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
    });
  }

  /**
   * Records the user's choice; returns the path in the form later checks compare against. A path
   * in the app's own folders is refused, whoever chose it.
   */
  grant(path: string, kind: GrantKind): string {
    if (this.isProtected(path)) throw protectedPath(path);
    const key = this.key(path);
    let kinds = this.granted.get(key);
    if (!kinds) this.granted.set(key, (kinds = new Set()));
    kinds.add(kind);
    return normalize(resolve(path));
  }

  isGranted(path: string, kind: GrantKind): boolean {
    if (!isAbsolute(path) || this.isProtected(path)) return false;
    return this.granted.get(this.key(path))?.has(kind) ?? false;
  }

  /** The path, normalised, if the user chose it; otherwise a `denied` error. */
  require(path: string, kind: GrantKind): string {
    if (isAbsolute(path) && this.isProtected(path)) throw protectedPath(path);
    if (!this.isGranted(path, kind)) {
      throw denied(`${path}: not a file you chose; open or save it through ${kind === 'export' ? 'the export' : 'the file'} dialog first`);
    }
    return normalize(resolve(path));
  }

  /** Windows paths compare case-insensitively; elsewhere two spellings are two files. */
  private key(path: string): string {
    return this.fold(normalize(resolve(path)));
  }

  private fold(p: string): string {
    return this.platform === 'win32' ? p.toLowerCase() : p;
  }
}

function protectedPath(path: string): Error {
  return denied(`${path}: inside the app's own folder, which holds its settings and recent files; choose another place`);
}
