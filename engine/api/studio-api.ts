/**
 * StudioApi: the one typed interface between the renderer and the host. Both transports (Electron
 * IPC through the preload's contextBridge, and a WebSocket on 127.0.0.1 in browser mode) carry
 * exactly these calls and events, and every incoming message is validated with these zod schemas.
 *
 * The renderer imports only the types and schemas from this file (no node:* here).
 */
import { z } from 'zod';
import { trainingSettingsSchema } from '../core/document/schema.js';
import type { ErrorCode } from './wire.js';

export * from './wire.js';

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
  /** SVG markup rendered from the graph (generated, not drawn). */
  thumbnail: z.string().optional(),
});
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

export const fileRefSchema = z.object({ path: z.string(), name: z.string() });
export type FileRef = z.infer<typeof fileRefSchema>;

export const problemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  nodeId: z.string().optional(),
  edgeIndex: z.number().optional(),
  inner: z.array(z.string()).optional(),
  message: z.string(),
});
export type WireProblem = z.infer<typeof problemSchema>;

/**
 * What the user picks a file for. It decides the extension (`.snn.json` documents, `.onnx` exports)
 * and whether the file must already exist (open, and `dataset`: a folder to train on) or may be
 * created (save, export).
 */
export const filePurposeSchema = z.enum(['open', 'save', 'export', 'dataset']);
export type FilePurpose = z.infer<typeof filePurposeSchema>;

export const jobKindSchema = z.enum(['train', 'profile', 'export']);
export type JobKind = z.infer<typeof jobKindSchema>;

/** Options of a profile job: timed forward passes of the inference model. */
export const profileOptionsSchema = z.strictObject({
  batch: z.number().int().min(1).max(4096).optional(),
  iterations: z.number().int().min(1).max(10_000).optional(),
  warmup: z.number().int().min(0).max(1000).optional(),
  seed: z.number().int().optional(),
});
export type ProfileOptions = z.infer<typeof profileOptionsSchema>;

/** Options of an export job: `path` must be one the user chose (dialog or picker, purpose `export`). */
export const exportOptionsSchema = z.strictObject({
  path: pathString,
  batch: z.number().int().min(1).max(4096).optional(),
  seed: z.number().int().optional(),
});
export type ExportOptions = z.infer<typeof exportOptionsSchema>;

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
  /** Continue a run this host started before, from its last checkpoint (`runId` from that job's result). */
  resumeRun: z.string().regex(/^[A-Za-z0-9-]{1,100}$/).optional(),
});
export type TrainJobOptions = z.infer<typeof trainOptionsSchema>;

/** Request schemas, one per method: `method` → params. Strict: an unknown field is a bad request. */
export const requestSchemas = {
  /** What this host can do (desktop with native dialogs, or browser mode with the picker). */
  capabilities: z.strictObject({}),
  listTemplates: z.strictObject({}),
  loadTemplate: z.strictObject({ id: z.string().max(200), preset: z.string().max(200).optional() }),
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
  validate: z.strictObject({ document: documentJson }),
  compile: z.strictObject({ document: documentJson, batch: z.number().int().min(1).max(4096).optional() }),
  startJob: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('profile'), document: documentJson, options: profileOptionsSchema.optional() }),
    z.strictObject({ kind: z.literal('export'), document: documentJson, options: exportOptionsSchema }),
    z.strictObject({ kind: z.literal('train'), document: documentJson, options: trainOptionsSchema.optional() }),
  ]),
  cancelJob: z.strictObject({ jobId: z.string().max(100) }),
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
  startJob: { jobId: string };
  cancelJob: { cancelled: boolean };
}

/**
 * What a running job reports. Every event has a `type`; the profile job sends
 * `{type:'phase', phase:'compile'|'session', ms}` and `{type:'progress', done, total, ms}`, the
 * export job `{type:'phase', phase:'compile'|'write', ms}`, and training its TrainEvents
 * (engine/runtime/train/events.ts) with `event` renamed `type`: `start`, `step`, `epoch`, `done`.
 */
export type JobEvent = Readonly<{ type: string } & Record<string, unknown>>;

/** Events streamed from host to renderer. */
export type StudioEvent =
  | { readonly type: 'job'; readonly jobId: string; readonly kind: JobKind; readonly event: JobEvent }
  | {
      readonly type: 'job-end';
      readonly jobId: string;
      readonly kind: JobKind;
      readonly ok: boolean;
      readonly cancelled?: boolean;
      readonly error?: string;
      readonly result?: Readonly<Record<string, unknown>>;
    }
  | { readonly type: 'recent-files'; readonly files: FileRef[] };

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
