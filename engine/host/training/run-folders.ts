/**
 * The runs of a document, as the host serves them: `runs/` beside the document's file (a file the
 * user chose) or, for a document never saved, the app's own runs folder. A request names a run by
 * its folder name only, so no message from the page can point the host at another folder; and a
 * run that a job is training is neither renamed under it nor deleted.
 */
import { dirname, join } from 'node:path';
import type { RunRecord, RunSummary } from '../../api/runs.js';
import { deleteRunFolder, isRunFolder, listRunFolders, nextRunDir, readRunFolder, relabelRunFolder } from '../../runtime/train/index.js';
import { HostError } from '../errors.js';
import type { FileAccessPolicy } from '../files/file-policy.js';

export class RunFolders {
  /** Run folder → the job training it. */
  private readonly training = new Map<string, string>();

  constructor(
    private readonly appRunsDir: string,
    private readonly policy: FileAccessPolicy,
  ) {}

  /** The runs folder of a document: beside its file when it has one the user chose. */
  runsDir(documentPath: string | null): string {
    return documentPath === null ? this.appRunsDir : join(dirname(this.policy.require(documentPath, 'document')), 'runs');
  }

  async next(documentPath: string | null, documentName: string): Promise<string> {
    return nextRunDir(this.runsDir(documentPath), documentName);
  }

  /** The folder of a run that can be resumed now: it exists and no job is training it. */
  async resumable(documentPath: string | null, run: string): Promise<string> {
    const dir = await this.existing(documentPath, run);
    if (this.training.has(dir)) throw new HostError('invalid-params', `run "${run}" is training now`);
    return dir;
  }

  started(jobId: string, dir: string): void {
    this.training.set(dir, jobId);
  }

  ended(jobId: string): void {
    for (const [dir, id] of this.training) if (id === jobId) this.training.delete(dir);
  }

  list(documentPath: string | null): Promise<RunSummary[]> {
    return listRunFolders(this.runsDir(documentPath), new Set(this.training.keys()));
  }

  async read(documentPath: string | null, run: string): Promise<RunRecord> {
    const dir = await this.existing(documentPath, run);
    return readRunFolder(dir, this.training.has(dir));
  }

  async relabel(documentPath: string | null, run: string, label: string): Promise<RunSummary> {
    const dir = await this.existing(documentPath, run);
    await relabelRunFolder(dir, label);
    return (await readRunFolder(dir, this.training.has(dir))).summary;
  }

  async delete(documentPath: string | null, run: string): Promise<boolean> {
    const dir = await this.existing(documentPath, run);
    if (this.training.has(dir)) throw new HostError('invalid-params', `run "${run}" is training now: stop it before deleting it`);
    return deleteRunFolder(dir);
  }

  private async existing(documentPath: string | null, run: string): Promise<string> {
    const dir = join(this.runsDir(documentPath), run);
    if (!(await isRunFolder(dir))) throw new HostError('invalid-params', `there is no run "${run}" in ${this.runsDir(documentPath)}`);
    return dir;
  }
}
