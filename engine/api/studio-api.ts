/**
 * StudioApi: the one typed interface between the renderer and the host. Both transports (Electron
 * IPC through the preload's contextBridge, and a WebSocket on 127.0.0.1 in browser mode) carry
 * exactly these calls and events, and every incoming message is validated with these zod schemas.
 *
 * The renderer imports only the types and schemas from this file (no node:* here).
 */
import { z } from 'zod';

/** A document travels as its JSON value; the host validates it with the document schema. */
export const documentJson = z.unknown();

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

/** Request schemas, one per method: `method` → params. */
export const requestSchemas = {
  listTemplates: z.object({}),
  loadTemplate: z.object({ id: z.string(), preset: z.string().optional() }),
  /** Opens a file: with a path only if the user chose it before (recent files); otherwise through a dialog. */
  openDocument: z.object({ path: z.string().optional() }),
  saveDocument: z.object({ document: documentJson, path: z.string().optional(), saveAs: z.boolean().optional() }),
  recentFiles: z.object({}),
  autosave: z.object({ document: documentJson, path: z.string().nullable() }),
  recoverAutosave: z.object({}),
  validate: z.object({ document: documentJson }),
  compile: z.object({ document: documentJson, batch: z.number().int().positive().optional() }),
  startJob: z.object({ kind: z.enum(['train', 'profile', 'export']), document: documentJson, options: z.record(z.string(), z.unknown()).optional() }),
  cancelJob: z.object({ jobId: z.string() }),
} as const;

export type Method = keyof typeof requestSchemas;
export type Request<M extends Method> = z.infer<(typeof requestSchemas)[M]>;

export interface OpenedDocument {
  readonly file: FileRef | null;
  readonly document: unknown;
}

export interface ResponseMap {
  listTemplates: TemplateSummary[];
  loadTemplate: OpenedDocument;
  /** null when the user cancelled the dialog. */
  openDocument: OpenedDocument | null;
  saveDocument: FileRef | null;
  recentFiles: FileRef[];
  autosave: { savedAt: string };
  recoverAutosave: { document: unknown; path: string | null; savedAt: string } | null;
  validate: { ok: boolean; problems: z.infer<typeof problemSchema>[]; paramCount: number; macs: number };
  compile: { ok: boolean; problems: z.infer<typeof problemSchema>[]; bytes: number; compileMs: number };
  startJob: { jobId: string };
  cancelJob: { cancelled: boolean };
}

/** Events streamed from host to renderer (jobs). */
export type StudioEvent =
  | { readonly type: 'job'; readonly jobId: string; readonly event: Record<string, unknown> }
  | { readonly type: 'job-end'; readonly jobId: string; readonly ok: boolean; readonly error?: string };

/** The API as the renderer sees it, whatever the transport. */
export type StudioApi = {
  [M in Method]: (params: Request<M>) => Promise<ResponseMap[M]>;
} & {
  onEvent(listener: (e: StudioEvent) => void): () => void;
};

/** Wire messages (both transports). */
export const wireRequestSchema = z.strictObject({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type WireRequest = z.infer<typeof wireRequestSchema>;
export type WireResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export function isMethod(m: string): m is Method {
  return Object.prototype.hasOwnProperty.call(requestSchemas, m);
}
