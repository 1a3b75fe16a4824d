/**
 * StudioApi: the one typed interface between the renderer and the host. Both transports (Electron
 * IPC through the preload's contextBridge, and a WebSocket on 127.0.0.1 in browser mode) carry
 * exactly these calls and events, and every incoming message is validated with these zod schemas.
 *
 * The renderer imports only the types and schemas from this file (no node:* here).
 */
import { z } from 'zod';
import { trainingSettingsSchema } from '../core/document/schema.js';
import type { ExportFormat } from '../core/export/lint.js';
import { FINDING_SEVERITY } from '../core/problems.js';
import { profileOptionsSchema } from './profile.js';
import { runNameSchema, type DatasetPreview, type RunRecord, type RunSummary } from './runs.js';
import { trainEventSchema, type TrainEvent } from './train-events.js';
import type { ErrorCode } from './wire.js';

export * from './wire.js';
export * from './runs.js';
export * from './train-events.js';
export * from './profile.js';

/** A document travels as its JSON value; the host validates it with the document schema. */
export const documentJson = z
  .unknown()
  .refine((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a document object');

/** Paths come from the host (dialogs, picker, recent files) and go back to it; 4096 is PATH_MAX on Linux. */
const pathString = z.string().min(1).max(4096);

export const templatePresetSchema = z.object({
  name: z.string(),
  label: z.string().optional(),
  dataset: z.string().optional(),
  timeSteps: z.number().optional(),
  reportedTop1: z.number().nullable().optional(),
  params: z.number().nullable().optional(),
});

export const templateSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  paper: z.object({ title: z.string(), venue: z.string().optional(), year: z.number().optional(), link: z.string().optional() }).optional(),
  presets: z.array(templatePresetSchema),
  /** Switches every preset takes (QKFormer's released-code forms). */
  options: z.array(z.object({ name: z.string(), label: z.string(), description: z.string() })).optional(),
  /** SVG markup rendered from the graph (generated, not drawn). */
  thumbnail: z.string().optional(),
});
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

export const fileRefSchema = z.object({ path: z.string(), name: z.string() });
export type FileRef = z.infer<typeof fileRefSchema>;

export const problemSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.enum(Object.keys(FINDING_SEVERITY) as [keyof typeof FINDING_SEVERITY]).optional(),
  path: z.string(),
  nodeId: z.string().optional(),
  edgeIndex: z.number().optional(),
  inner: z.array(z.string()).optional(),
  innerPath: z.array(z.string()).optional(),
  port: z.string().optional(),
  innerEdgeIndex: z.number().optional(),
  message: z.string(),
});
export type WireProblem = z.infer<typeof problemSchema>;

/**
 * What the user picks a file for. It decides the extension (`.snn.json` documents, `.onnx` exports,
 * `.nir` NIR exports, `.csv` metrics, `.png` charts; `pytorch`: a new folder for a PyTorch export)
 * and whether the file must already exist (open, `weights`: a checkpoint to import, `dataset`: a
 * folder to train on) or may be created (save, export, pytorch, nir, metrics, image).
 */
/** The formats `exportModel` writes (core's EXPORT_FORMATS, spelled here so the API pulls in no exporter code). */
export const exportFormatSchema = z.enum(['onnx', 'pytorch', 'nir'] as const satisfies readonly ExportFormat[]);

export const filePurposeSchema = z.enum(['open', 'save', 'export', 'dataset', 'metrics', 'image', 'pytorch', 'nir', 'weights']);
export type FilePurpose = z.infer<typeof filePurposeSchema>;

export const jobKindSchema = z.enum(['train', 'profile', 'export', 'import']);
export type JobKind = z.infer<typeof jobKindSchema>;

const limitValue = z.number().positive().finite();
/**
 * Limits the user raised (or lowered) for what a document may expand to; a limit left out keeps
 * its default (engine/core/limits). The CLI's `--limit name=value` sets the same four.
 */
export const limitsSchema = z.strictObject({ nodes: limitValue.optional(), tensorElements: limitValue.optional(), parameters: limitValue.optional(), activationBytes: limitValue.optional() });
export type LimitOverrides = z.infer<typeof limitsSchema>;

/** Names a validate or compile so that cancelCompile can stop it; the caller picks it (unique among its calls in flight). */
const ticketSchema = z.string().min(1).max(100);

/**
 * Where a document's runs live: `runs/` beside the document's file (a path the user chose), or the
 * app's own runs folder for a document never saved (null).
 */
const documentPathSchema = pathString.nullable();

/**
 * Options of an export job: `path` must be one the user chose (dialog or picker, purpose `export`).
 * With `run`, the weights are that run's latest checkpoint; without, the document's seeded weights.
 * The written file is reloaded and checked against the training engine on test samples.
 */
export const exportOptionsSchema = z.strictObject({
  path: pathString,
  /** onnx (default): the inference model, reload-checked; pytorch: a folder (model.py, weights, train.py); nir: an HDF5 file. */
  format: exportFormatSchema.optional(),
  batch: z.number().int().min(1).max(4096).optional(),
  seed: z.number().int().optional(),
  documentPath: documentPathSchema.optional(),
  run: runNameSchema.optional(),
  /** Test samples the reload check compares (0: no check). */
  verifySamples: z.number().int().min(0).max(1024).optional(),
});
export type ExportOptions = z.infer<typeof exportOptionsSchema>;

/**
 * Options of an import job: `path` must be a weights file the user chose (purpose `weights`). The
 * tensors are mapped onto the document by its template's name table and saved as a new run of it.
 */
export const importOptionsSchema = z.strictObject({
  path: pathString,
  documentPath: documentPathSchema.optional(),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

/**
 * Options of a training job: the document's `training` section overridden field by field (so the
 * same names and values), plus what only a run has. A dataset spec that names a folder
 * (`folder:<dir>`, `cifar10:<dir>`, ...) must be a folder the user chose (purpose `dataset`).
 */
export const trainOptionsSchema = trainingSettingsSchema.omit({ augmentation: true, notes: true }).extend({
  dataset: z.string().min(1).max(4096).optional(),
  datasetOptions: z
    .strictObject({
      classes: z.array(z.string().max(200)).max(100_000).optional(),
      imageSize: z.tuple([z.number().int().min(1).max(4096), z.number().int().min(1).max(4096)]).optional(),
      channels: z.union([z.literal(1), z.literal(3)]).optional(),
      resize: z.enum(['nearest', 'bilinear']).optional(),
      testFraction: z.number().min(0).max(1).optional(),
      frames: z.number().int().min(1).max(1024).optional(),
      sensorSize: z.tuple([z.number().int().min(1).max(4096), z.number().int().min(1).max(4096)]).optional(),
    })
    .optional(),
  threads: z.number().int().min(1).max(1024).optional(),
  maxStepsPerEpoch: z.number().int().min(1).optional(),
  /** The document's file: its runs go to `runs/` beside it (null or absent: the app's runs folder). */
  documentPath: documentPathSchema.optional(),
  /** Continue a run of this document from its last checkpoint (a folder name from listRuns). */
  resumeRun: runNameSchema.optional(),
});
export type TrainJobOptions = z.infer<typeof trainOptionsSchema>;

/** Request schemas, one per method: `method` → params. Strict: an unknown field is a bad request. */
export const requestSchemas = {
  /** What this host can do (desktop with native dialogs, or browser mode with the picker). */
  capabilities: z.strictObject({}),
  listTemplates: z.strictObject({}),
  loadTemplate: z.strictObject({
    id: z.string().max(200),
    preset: z.string().max(200).optional(),
    /** Template options switched on or off by name (an unknown name is refused by the template). */
    options: z.record(z.string().max(100), z.boolean()).optional(),
  }),
  /** Browser mode's file picker: lists a folder inside the allowed roots (home, working directory). */
  browseFiles: z.strictObject({ dir: pathString.optional(), purpose: filePurposeSchema }),
  /**
   * Lets the user choose a file for `purpose`; the host grants exactly the chosen path. Desktop: a
   * native dialog (`path`, if given, is the suggested name). Browser mode: the page's picker ran
   * first (browseFiles), and `path` is what the user picked; the host checks it against the roots.
   */
  chooseFile: z.strictObject({ purpose: filePurposeSchema, path: pathString.optional() }),
  /** With a path only if the user chose it (picker, dialog, recent files); without one, a native dialog. */
  openDocument: z.strictObject({ path: pathString.optional() }),
  /** To `path` (chosen before); with `saveAs` or without a path, through a native dialog. */
  saveDocument: z.strictObject({ document: documentJson, path: pathString.optional(), saveAs: z.boolean().optional() }),
  recentFiles: z.strictObject({}),
  autosave: z.strictObject({ document: documentJson, path: pathString.nullable() }),
  recoverAutosave: z.strictObject({}),
  discardAutosave: z.strictObject({}),
  validate: z.strictObject({ document: documentJson, limits: limitsSchema.optional(), ticket: ticketSchema.optional() }),
  compile: z.strictObject({ document: documentJson, batch: z.number().int().min(1).max(4096).optional(), limits: limitsSchema.optional(), ticket: ticketSchema.optional() }),
  /** Stops the validate or compile started with this ticket: it fails with code `cancelled` and its thread is replaced. */
  cancelCompile: z.strictObject({ ticket: ticketSchema }),
  startJob: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('profile'), document: documentJson, options: profileOptionsSchema.optional(), limits: limitsSchema.optional() }),
    z.strictObject({ kind: z.literal('export'), document: documentJson, options: exportOptionsSchema, limits: limitsSchema.optional() }),
    z.strictObject({ kind: z.literal('import'), document: documentJson, options: importOptionsSchema, limits: limitsSchema.optional() }),
    z.strictObject({ kind: z.literal('train'), document: documentJson, options: trainOptionsSchema.optional(), limits: limitsSchema.optional() }),
  ]),
  cancelJob: z.strictObject({ jobId: z.string().max(100) }),
  /** A training job waits between two steps until resumed (the worker and its data stay loaded). */
  pauseJob: z.strictObject({ jobId: z.string().max(100) }),
  resumeJob: z.strictObject({ jobId: z.string().max(100) }),
  /** Opens a dataset as training would and returns its size, classes and 16 samples; a folder that is not a dataset is refused here. */
  previewDataset: z.strictObject({ dataset: z.string().min(1).max(4096), datasetOptions: trainOptionsSchema.shape.datasetOptions }),
  listRuns: z.strictObject({ documentPath: documentPathSchema }),
  readRun: z.strictObject({ documentPath: documentPathSchema, run: runNameSchema }),
  renameRun: z.strictObject({ documentPath: documentPathSchema, run: runNameSchema, label: z.string().trim().min(1).max(200) }),
  deleteRun: z.strictObject({ documentPath: documentPathSchema, run: runNameSchema }),
  /** Writes a chart (PNG, base64) or metrics (CSV text) to a path the user chose with purpose `image` or `metrics`. */
  writeArtifact: z.strictObject({
    path: pathString,
    kind: z.enum(['image', 'metrics']),
    /** PNG: base64; CSV: the text. 16 MB is far above any chart or metrics table. */
    data: z.string().max(16 * 1024 * 1024),
  }),
} as const;

export type Method = keyof typeof requestSchemas;
export type Request<M extends Method> = z.infer<(typeof requestSchemas)[M]>;

export interface OpenedDocument {
  readonly file: FileRef | null;
  readonly document: unknown;
  /** The version the file was written in, when it was migrated on load. */
  readonly migratedFrom?: number;
}

export interface Capabilities {
  readonly mode: 'desktop' | 'browser';
  /** true: chooseFile (and open/save without a path) show native dialogs; false: show the picker (browseFiles), then chooseFile with the pick. */
  readonly nativeDialogs: boolean;
  /** The folders the browser-mode picker may show (empty on the desktop). */
  readonly roots: FileRef[];
  readonly jobKinds: JobKind[];
  readonly platform: string;
  readonly version: string;
}

export interface DirectoryEntry {
  readonly name: string;
  readonly path: string;
  readonly kind: 'dir' | 'file';
}

export interface DirectoryListing {
  readonly dir: string;
  /** null at a root: the picker never leaves the roots. */
  readonly parent: string | null;
  readonly entries: DirectoryEntry[];
  readonly roots: FileRef[];
}

export interface RecoveredDocument {
  readonly document: unknown;
  readonly path: string | null;
  readonly savedAt: string;
}

export interface ResponseMap {
  capabilities: Capabilities;
  listTemplates: TemplateSummary[];
  loadTemplate: OpenedDocument;
  browseFiles: DirectoryListing;
  /** null when the user cancelled the dialog. */
  chooseFile: FileRef | null;
  /** null when the user cancelled the dialog. */
  openDocument: OpenedDocument | null;
  /** null when the user cancelled the dialog. */
  saveDocument: FileRef | null;
  recentFiles: FileRef[];
  autosave: { savedAt: string };
  recoverAutosave: RecoveredDocument | null;
  discardAutosave: { discarded: boolean };
  validate: { ok: boolean; problems: WireProblem[]; paramCount: number; macs: number };
  compile: { ok: boolean; problems: WireProblem[]; bytes: number; compileMs: number; inputShape: number[]; outputShape: number[] };
  /** false when no validate or compile with that ticket is in flight. */
  cancelCompile: { cancelled: boolean };
  startJob: { jobId: string };
  cancelJob: { cancelled: boolean };
  pauseJob: { paused: boolean };
  resumeJob: { resumed: boolean };
  previewDataset: DatasetPreview;
  listRuns: RunSummary[];
  readRun: RunRecord;
  renameRun: RunSummary;
  deleteRun: { deleted: boolean };
  writeArtifact: FileRef;
}

/**
 * What a profile or export job reports: `{type:'phase', phase, ms}` as it passes compile, session
 * or write, and `{type:'progress', done, total}`. (A job may add fields of its own; they pass.)
 */
export const progressEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('phase'), phase: z.string().max(100), ms: z.number() }),
  z.looseObject({ type: z.literal('progress'), done: z.number().int().min(0), total: z.number().int().min(0), ms: z.number().optional() }),
]);
export type ProgressEvent = z.infer<typeof progressEventSchema>;

/** What a running job reports: a training job its TrainEvents, the others their progress. */
export type JobEvent = TrainEvent | ProgressEvent;

const jobEndFields = {
  jobId: z.string(),
  ok: z.boolean(),
  cancelled: z.boolean().optional(),
  error: z.string().optional(),
  result: z.record(z.string(), z.unknown()).optional(),
};

/**
 * Events streamed from host to renderer, validated where they arrive (both transports): a job's
 * events are typed by its kind, so a chart never reads a field a step event does not have.
 */
export const studioEventSchema = z.union([
  z.object({ type: z.literal('job'), jobId: z.string(), kind: z.literal('train'), event: trainEventSchema }),
  z.object({ type: z.literal('job'), jobId: z.string(), kind: z.enum(['profile', 'export', 'import']), event: progressEventSchema }),
  z.object({ type: z.literal('job-end'), kind: jobKindSchema, ...jobEndFields }),
  z.object({ type: z.literal('recent-files'), files: z.array(fileRefSchema) }),
]);
export type StudioEvent = z.infer<typeof studioEventSchema>;

/**
 * Calls whose params are all optional may be made without an argument: `api.listTemplates()`.
 * (`Record<never, never>` is the empty object type: it extends a params type exactly when every
 * field of that type is optional.)
 */
export type StudioMethods = {
  [M in Method]: Record<never, never> extends Request<M> ? (params?: Request<M>) => Promise<ResponseMap[M]> : (params: Request<M>) => Promise<ResponseMap[M]>;
};

/** The API as the renderer sees it, whatever the transport. */
export type StudioApi = StudioMethods & {
  onEvent(listener: (e: StudioEvent) => void): () => void;
};

/** Wire messages (both transports). */
export const wireRequestSchema = z.strictObject({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  /** May be left out for methods without params. */
  params: z.unknown().optional(),
});
export type WireRequest = z.infer<typeof wireRequestSchema>;

export function isMethod(m: string): m is Method {
  return Object.prototype.hasOwnProperty.call(requestSchemas, m);
}

/** An error reply as a thrown value on the client side. */
export class StudioError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = 'StudioError';
  }
}
