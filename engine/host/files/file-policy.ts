/**
 * "Only paths the user chose": the host reads or writes a file only when its path was granted —
 * returned by a native dialog, confirmed in the browser-mode picker, or remembered from an earlier
 * choice (recent files, the autosaved document's own file). Any other path is refused, whatever the
 * renderer sends: a compromised or buggy page cannot make the host touch an arbitrary file.
 */
import { isAbsolute, normalize, resolve } from 'node:path';
import { denied } from '../errors.js';
import type { GrantKind } from './file-kinds.js';

export class FileAccessPolicy {
  private readonly granted = new Map<string, Set<GrantKind>>();

  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  /** Records the user's choice; returns the path in the form later checks compare against. */
  grant(path: string, kind: GrantKind): string {
    const key = this.key(path);
    let kinds = this.granted.get(key);
    if (!kinds) this.granted.set(key, (kinds = new Set()));
    kinds.add(kind);
    return normalize(resolve(path));
  }

  isGranted(path: string, kind: GrantKind): boolean {
    if (!isAbsolute(path)) return false;
    return this.granted.get(this.key(path))?.has(kind) ?? false;
  }

  /** The path, normalised, if the user chose it; otherwise a `denied` error. */
  require(path: string, kind: GrantKind): string {
    if (!this.isGranted(path, kind)) {
      throw denied(`${path}: not a file you chose; open or save it through ${kind === 'export' ? 'the export' : 'the file'} dialog first`);
    }
    return normalize(resolve(path));
  }

  /** Windows paths compare case-insensitively; elsewhere two spellings are two files. */
  private key(path: string): string {
    const p = normalize(resolve(path));
    return this.platform === 'win32' ? p.toLowerCase() : p;
  }
}
