/**
 * Recent files: the documents the user opened or saved, newest first, kept across runs. Each one was
 * the user's choice when it was added, so the host grants them again at start (File › Open Recent
 * opens without a dialog); files that no longer exist are left out of the list.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { FileRef } from '../../api/studio-api.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

const recentSchema = z.object({ version: z.literal(1), files: z.array(z.string()) });

export class RecentFiles {
  private constructor(
    private readonly file: string,
    private paths: string[],
    private readonly limit: number,
  ) {}

  static async load(file: string, limit = 10): Promise<RecentFiles> {
    const stored = await readJsonFile(file, recentSchema);
    return new RecentFiles(file, stored?.files.slice(0, limit) ?? [], limit);
  }

  /** Every remembered path, existing or not (the host re-grants these at start). */
  all(): readonly string[] {
    return this.paths;
  }

  async list(): Promise<FileRef[]> {
    const out: FileRef[] = [];
    for (const path of this.paths) {
      const s = await stat(path).catch(() => null);
      if (s?.isFile()) out.push({ path, name: basename(path) });
    }
    return out;
  }

  async add(path: string): Promise<FileRef[]> {
    this.paths = [path, ...this.paths.filter((p) => p !== path)].slice(0, this.limit);
    await writeJsonFile(this.file, { version: 1, files: this.paths });
    return this.list();
  }
}
