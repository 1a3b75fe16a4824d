/**
 * The StudioApi, implemented over the engine: one object per app, whatever the transport (the
 * dispatcher validates every message before a method here runs). File access goes through the
 * policy: a path is read or written only if the user chose it (native dialog on the desktop, the
 * picker in browser mode, or an earlier choice remembered in recent files).
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EventListeners } from '../api/event-listeners.js';
import { jobKindSchema, type Capabilities, type ExportOptions, type ImportOptions, type ProfileOptions, type FilePurpose, type FileRef, type Request, type ResponseMap, type StudioEvent, type StudioMethods, type TrainJobOptions } from '../api/studio-api.js';
import { parseDocument } from '../core/document/load.js';
import { PYTORCH_MODEL_FILE } from '../core/export/pytorch/bundle.js';
import type { GraphDocument } from '../core/document/schema.js';
import { Analyser, limitsWith, type AnalyserOptions } from './analyser.js';
import { readDocumentFile, schemaError, writeDocumentFile } from './documents/document-file.js';
import { HostError, unavailable } from './errors.js';
import type { NativeDialogs } from './files/dialogs.js';
import { grantKindOf, picksExisting, withExtension } from './files/file-kinds.js';
import { FilePicker } from './files/file-picker.js';
import { FileAccessPolicy } from './files/file-policy.js';
import { JobRunner, type JobRunnerOptions } from './jobs/job-runner.js';
import type { ExportJobSpec } from './jobs/export-job.js';
import type { ImportJobSpec } from './jobs/import-job.js';
import type { ProfileJobSpec } from './jobs/profile-job.js';
import type { TrainJobSpec } from './jobs/train-job.js';
import { RunFolders } from './training/run-folders.js';
import { openDatasetPreview } from './training/dataset-preview.js';
import { RecentFiles } from './store/recent-files.js';
import { RecoveryFile } from './store/recovery-file.js';
import { TemplateCatalog } from './templates/template-catalog.js';
import { galleryTemplates, type TemplateSource } from './templates/template-source.js';

export interface HostOptions {
  readonly mode: 'desktop' | 'browser';
  /** The app's own folder (recent files, the autosave recovery file). */
  readonly configDir: string;
  /** Desktop: the main process's native dialogs. */
  readonly dialogs?: NativeDialogs;
  /** Browser mode: the folders the picker may show (the user's home and the working directory). */
  readonly pickerRoots?: readonly string[];
  readonly templates?: TemplateSource;
  readonly version?: string;
  readonly jobs?: JobRunnerOptions;
  readonly analysis?: AnalyserOptions;
}

export class StudioHost implements StudioMethods {
  private readonly events = new EventListeners();
  private readonly jobs: JobRunner;
  private readonly templates: TemplateCatalog;
  private readonly runs: RunFolders;
  /** validate and compile, off the thread that answers the renderer. */
  readonly analyser: Analyser;

  private constructor(
    private readonly options: HostOptions,
    private readonly policy: FileAccessPolicy,
    private readonly picker: FilePicker | null,
    private readonly recent: RecentFiles,
    private readonly recovery: RecoveryFile,
  ) {
    this.runs = new RunFolders(join(options.configDir, 'runs'), policy);
    this.jobs = new JobRunner((e) => {
      if (e.type === 'job-end') this.runs.ended(e.jobId);
      this.events.emit(e);
    }, options.jobs);
    this.templates = new TemplateCatalog(options.templates ?? galleryTemplates);
    this.analyser = new Analyser(options.analysis);
  }

  static async create(options: HostOptions): Promise<StudioHost> {
    const policy = new FileAccessPolicy();
    const recent = await RecentFiles.load(join(options.configDir, 'recent-files.json'));
    // each recent file was the user's choice when it was added
    for (const path of recent.all()) policy.grant(path, 'document');
    // the app's own state (recent files, autosave) is never a page's to write; after the recent
    // files, so that a list written before this rule still loads (its entries there stay refused)
    await policy.protect(options.configDir);
    const picker = options.pickerRoots ? await FilePicker.create(options.pickerRoots, policy) : null;
    return new StudioHost(options, policy, picker, recent, new RecoveryFile(join(options.configDir, 'recovery', 'autosave.json')));
  }

  onEvent(listener: (e: StudioEvent) => void): () => void {
    return this.events.add(listener);
  }

  async capabilities(): Promise<Capabilities> {
    return {
      mode: this.options.mode,
      nativeDialogs: this.options.dialogs !== undefined,
      roots: this.picker?.rootRefs() ?? [],
      jobKinds: [...jobKindSchema.options],
      platform: process.platform,
      version: this.options.version ?? '0.0.0',
    };
  }

  async listTemplates(): Promise<ResponseMap['listTemplates']> {
    return this.templates.list();
  }

  async loadTemplate(p: Request<'loadTemplate'>): Promise<ResponseMap['loadTemplate']> {
    return this.templates.load(p.id, p.preset, p.options);
  }

  async browseFiles(p: Request<'browseFiles'>): Promise<ResponseMap['browseFiles']> {
    return this.requirePicker().browse(p.dir, p.purpose);
  }

  async chooseFile(p: Request<'chooseFile'>): Promise<ResponseMap['chooseFile']> {
    if (!this.picker) return this.chooseWithDialog(p.purpose, p.path === undefined ? undefined : basename(p.path));
    if (p.path === undefined) throw new HostError('invalid-params', 'chooseFile: in browser mode, pass the path the user picked (browseFiles lists the choices)');
    return this.picker.choose(p.path, p.purpose);
  }

  async openDocument(p: Request<'openDocument'> = {}): Promise<ResponseMap['openDocument']> {
    let path: string;
    if (p.path !== undefined) path = this.policy.require(p.path, 'document');
    else {
      const chosen = await this.chooseWithDialog('open');
      if (chosen === null) return null;
      path = chosen.path;
    }
    const { document, migratedFrom } = await readDocumentFile(path);
    await this.remember(path);
    return { file: fileRef(path), document, ...(migratedFrom !== document.version ? { migratedFrom } : {}) };
  }

  async saveDocument(p: Request<'saveDocument'>): Promise<ResponseMap['saveDocument']> {
    const parsed = parseDocument(p.document);
    if (!parsed.ok) throw schemaError(parsed.problems);
    let path: string;
    if (p.path !== undefined && !p.saveAs) path = this.policy.require(p.path, 'document');
    else {
      const chosen = await this.chooseWithDialog('save', suggestedName(parsed.doc, p.path));
      if (chosen === null) return null;
      path = chosen.path;
    }
    await writeDocumentFile(path, parsed.doc);
    await this.remember(path);
    // the work is on disk now; a recovery file would only offer an older copy of it
    await this.recovery.clear();
    return fileRef(path);
  }

  async recentFiles(): Promise<ResponseMap['recentFiles']> {
    return this.recent.list();
  }

  async autosave(p: Request<'autosave'>): Promise<ResponseMap['autosave']> {
    // the recovered document will reopen as this file, so it must be one the user chose
    const path = p.path === null ? null : this.policy.require(p.path, 'document');
    return this.recovery.write(p.document, path);
  }

  async recoverAutosave(): Promise<ResponseMap['recoverAutosave']> {
    const recovered = await this.recovery.read();
    // autosave accepted only a chosen path; the recovery file is written by the host alone
    if (recovered?.path) this.policy.grant(recovered.path, 'document');
    return recovered;
  }

  async discardAutosave(): Promise<ResponseMap['discardAutosave']> {
    return { discarded: await this.recovery.clear() };
  }

  async validate(p: Request<'validate'>): Promise<ResponseMap['validate']> {
    return this.analyser.validate(p.document, p.limits, p.ticket);
  }

  async compile(p: Request<'compile'>): Promise<ResponseMap['compile']> {
    return this.analyser.compile(p.document, p.batch, p.limits, p.ticket);
  }

  async cancelCompile(p: Request<'cancelCompile'>): Promise<ResponseMap['cancelCompile']> {
    return { cancelled: this.analyser.cancel(p.ticket) };
  }

  async startJob(p: Request<'startJob'>): Promise<ResponseMap['startJob']> {
    const parsed = parseDocument(p.document);
    if (!parsed.ok) throw schemaError(parsed.problems);
    // the user's limits (app preferences) reach every compile the job makes
    const limited = 'limits' in p && p.limits !== undefined ? { limits: limitsWith(p.limits) } : {};
    if (p.kind === 'train') {
      const spec = await this.trainRun(parsed.doc, p.options ?? {});
      const jobId = this.jobs.start({ kind: 'train', document: parsed.doc, options: { ...spec, ...limited } });
      this.runs.started(jobId, spec.outDir);
      return { jobId };
    }
    if (p.kind === 'import') {
      const spec = await this.importRun(parsed.doc, p.options);
      const jobId = this.jobs.start({ kind: 'import', document: parsed.doc, options: { ...spec, ...limited } });
      this.runs.started(jobId, spec.outDir);
      return { jobId };
    }
    const options = p.kind === 'export' ? await this.exportSpec(parsed.doc, p.options) : await this.profileSpec(parsed.doc, p.options ?? {});
    return { jobId: this.jobs.start({ kind: p.kind, document: parsed.doc, options: { ...options, ...limited } }) };
  }

  async cancelJob(p: Request<'cancelJob'>): Promise<ResponseMap['cancelJob']> {
    return { cancelled: this.jobs.cancel(p.jobId) };
  }

  async pauseJob(p: Request<'pauseJob'>): Promise<ResponseMap['pauseJob']> {
    return { paused: this.jobs.pause(p.jobId) };
  }

  async resumeJob(p: Request<'resumeJob'>): Promise<ResponseMap['resumeJob']> {
    return { resumed: this.jobs.resume(p.jobId) };
  }

  async previewDataset(p: Request<'previewDataset'>): Promise<ResponseMap['previewDataset']> {
    const folder = datasetFolder(p.dataset);
    if (folder !== null) this.policy.require(folder, 'dataset');
    return openDatasetPreview(p.dataset, p.datasetOptions);
  }

  async listRuns(p: Request<'listRuns'>): Promise<ResponseMap['listRuns']> {
    return this.runs.list(p.documentPath);
  }

  async readRun(p: Request<'readRun'>): Promise<ResponseMap['readRun']> {
    return this.runs.read(p.documentPath, p.run);
  }

  async renameRun(p: Request<'renameRun'>): Promise<ResponseMap['renameRun']> {
    return this.runs.relabel(p.documentPath, p.run, p.label);
  }

  async deleteRun(p: Request<'deleteRun'>): Promise<ResponseMap['deleteRun']> {
    return { deleted: await this.runs.delete(p.documentPath, p.run) };
  }

  async writeArtifact(p: Request<'writeArtifact'>): Promise<ResponseMap['writeArtifact']> {
    const path = this.policy.require(p.path, 'export');
    const wanted = p.kind === 'image' ? '.png' : '.csv';
    if (!path.toLowerCase().endsWith(wanted)) throw new HostError('invalid-params', `${basename(path)}: a ${p.kind === 'image' ? 'chart' : 'metrics table'} is written as ${wanted}`);
    const bytes = p.kind === 'image' ? pngBytes(p.data) : new TextEncoder().encode(p.data);
    await writeFile(path, bytes);
    return fileRef(path);
  }

  async close(): Promise<void> {
    await Promise.all([this.jobs.close(), this.analyser.close()]);
  }

  /**
   * A training run's options as the worker gets them: a dataset folder only if the user chose it,
   * and a run folder beside the document (`runs/<name>-<n>`), new or resumed.
   */
  private async trainRun(doc: GraphDocument, o: TrainJobOptions): Promise<TrainJobSpec> {
    const { resumeRun, documentPath = null, ...options } = o;
    const folder = datasetFolder(options.dataset ?? doc.training?.dataset ?? 'digits');
    if (folder !== null) this.policy.require(folder, 'dataset');
    if (resumeRun !== undefined) return { ...options, run: resumeRun, outDir: await this.runs.resumable(documentPath, resumeRun), resume: true };
    const outDir = await this.runs.next(documentPath, doc.name);
    return { ...options, run: basename(outDir), outDir, resume: false };
  }

  /** An export's weights: the chosen run's latest checkpoint, or the seeded ones; its check reads the run's dataset. */
  private async exportSpec(doc: GraphDocument, o: ExportOptions): Promise<ExportJobSpec> {
    const { documentPath = null, run, ...options } = o;
    const path = this.policy.require(o.path, 'export');
    if (o.format === 'pytorch') await requireReplaceableExport(path);
    return { ...options, path, ...(await this.runWeights(doc, documentPath, run, 'export')) };
  }

  /** An import reads a weights file the user chose and writes a new run of the document. */
  private async importRun(doc: GraphDocument, o: ImportOptions): Promise<ImportJobSpec> {
    const file = this.policy.require(o.path, 'weights');
    return { file, outDir: await this.runs.next(o.documentPath ?? null, doc.name) };
  }

  /** A profile reads a run's weights and, unless told otherwise, its dataset; a dataset folder only if the user chose it. */
  private async profileSpec(doc: GraphDocument, o: ProfileOptions): Promise<ProfileJobSpec> {
    const { documentPath = null, run, dataset, ...options } = o;
    const weights = await this.runWeights(doc, documentPath, run, 'profile');
    const data = dataset ?? weights.dataset;
    const folder = datasetFolder(data);
    if (folder !== null) this.policy.require(folder, 'dataset');
    return { ...options, checkpoint: weights.checkpoint, dataset: data };
  }

  /** A run's latest checkpoint and the dataset it trained on; no run: the seeded weights and the document's dataset. */
  private async runWeights(doc: GraphDocument, documentPath: string | null, run: string | undefined, purpose: 'export' | 'profile'): Promise<{ checkpoint: string | null; dataset: string }> {
    const ownDataset = doc.training?.dataset ?? 'digits';
    if (run === undefined) return { checkpoint: null, dataset: ownDataset };
    const record = await this.runs.read(documentPath, run);
    if (record.summary.latestCheckpoint === null) throw new HostError('invalid-params', `run "${record.summary.label}" has no checkpoint yet: let it finish an epoch, or ${purpose} the seeded weights`);
    return { checkpoint: record.summary.latestCheckpoint, dataset: typeof record.settings['dataset'] === 'string' ? record.settings['dataset'] : ownDataset };
  }

  private async remember(path: string): Promise<void> {
    this.events.emit({ type: 'recent-files', files: await this.recent.add(path) });
  }

  /** A native dialog's answer, granted; for save and export a name typed without the extension gets it. */
  private async chooseWithDialog(purpose: FilePurpose, suggestion?: string): Promise<FileRef | null> {
    const dialogs = this.options.dialogs;
    if (!dialogs) throw unavailable('there is no native file dialog in browser mode: choose the file with browseFiles and chooseFile');
    const chosen = picksExisting(purpose) ? await dialogs.showOpen(purpose) : await dialogs.showSave(purpose, suggestion ?? withExtension('untitled', purpose));
    if (chosen === null) return null;
    const path = picksExisting(purpose) ? chosen : join(dirname(chosen), withExtension(basename(chosen), purpose));
    return fileRef(this.policy.grant(path, grantKindOf(purpose)));
  }

  private requirePicker(): FilePicker {
    if (!this.picker) throw unavailable('the desktop app chooses files with native dialogs, not the browser-mode picker');
    return this.picker;
  }
}

/**
 * The folder a dataset spec reads (see engine/runtime/data/open-dataset.ts: `kind:<dir>` or a bare
 * directory), or null for the built-in datasets, which read no user files.
 */
export function datasetFolder(spec: string): string | null {
  if (spec === 'digits' || spec === 'fashion-mnist') return null;
  return /^(?:idx|cifar10|cifar100|folder|events):(.+)$/.exec(spec)?.[1] ?? spec;
}

/**
 * A PyTorch export replaces its folder whole; a folder that exists must hold an earlier export
 * (its model.py), so that a name typed in the picker never wipes some other folder of the user's.
 */
async function requireReplaceableExport(path: string): Promise<void> {
  const s = await stat(path).catch(() => null);
  if (s === null) return;
  if (!s.isDirectory()) throw new HostError('invalid-params', `${path}: exists and is not a folder; a PyTorch export is a folder`);
  const entries = await readdir(path);
  if (entries.length > 0 && !entries.includes(PYTORCH_MODEL_FILE)) throw new HostError('invalid-params', `${path}: a folder that holds other files (no ${PYTORCH_MODEL_FILE} of an earlier export); choose a new folder name`);
}

/** A chart from the page: base64 that must decode to a PNG, so the host never writes arbitrary bytes under a .png name. */
function pngBytes(base64: string): Uint8Array {
  const bytes = Buffer.from(base64, 'base64');
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 8 || signature.some((b, i) => bytes[i] !== b)) throw new HostError('invalid-params', 'writeArtifact: the image is not a PNG');
  return bytes;
}

function fileRef(path: string): FileRef {
  return { path, name: basename(path) };
}

/** The current file's name, or the document's name made into a file name. */
function suggestedName(doc: GraphDocument, path: string | undefined): string {
  if (path) return basename(path);
  const slug = doc.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'untitled';
  return `${slug}.snn.json`;
}
