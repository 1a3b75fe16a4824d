/**
 * Autosave: the open document is written every few seconds to one recovery file in the config
 * folder (never over the user's own file), and removed once the document is saved or the user
 * discards it. If the app dies with unsaved changes, the file is still there at the next start and
 * the renderer offers to restore it. Writes are atomic, so a crash mid-autosave keeps the last one.
 */
import { z } from 'zod';
import type { RecoveredDocument } from '../../api/studio-api.js';
import { readJsonFile, removeFile, writeJsonFile } from './json-file.js';

const recoverySchema = z.object({
  version: z.literal(1),
  savedAt: z.string(),
  path: z.string().nullable(),
  document: z.record(z.string(), z.unknown()),
});

export class RecoveryFile {
  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async write(document: unknown, path: string | null): Promise<{ savedAt: string }> {
    const savedAt = this.now().toISOString();
    await writeJsonFile(this.file, { version: 1, savedAt, path, document });
    return { savedAt };
  }

  async read(): Promise<RecoveredDocument | null> {
    const stored = await readJsonFile(this.file, recoverySchema);
    return stored ? { document: stored.document, path: stored.path, savedAt: stored.savedAt } : null;
  }

  clear(): Promise<boolean> {
    return removeFile(this.file);
  }
}
