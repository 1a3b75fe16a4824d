/**
 * The renderer's StudioApi over any transport: each method is one request/response round trip, an
 * error reply becomes a thrown StudioError, and events come from the transport's push channel.
 * Browser-safe (no node:*): the WebSocket and the Electron IPC transports both plug in here.
 */
import { StudioError, studioEventSchema, type Method, type Request, type ResponseMap, type StudioApi, type StudioEvent, type WireResponse } from './studio-api.js';

export interface StudioTransport {
  /** Sends one request; resolves with the host's reply, or with an error reply when the link fails. */
  request(method: Method, params: unknown): Promise<WireResponse>;
  onEvent(listener: (e: StudioEvent) => void): () => void;
}

export class StudioClient implements StudioApi {
  constructor(private readonly transport: StudioTransport) {}

  capabilities(params: Request<'capabilities'> = {}) {
    return this.call('capabilities', params);
  }
  listTemplates(params: Request<'listTemplates'> = {}) {
    return this.call('listTemplates', params);
  }
  loadTemplate(params: Request<'loadTemplate'>) {
    return this.call('loadTemplate', params);
  }
  browseFiles(params: Request<'browseFiles'>) {
    return this.call('browseFiles', params);
  }
  chooseFile(params: Request<'chooseFile'>) {
    return this.call('chooseFile', params);
  }
  openDocument(params: Request<'openDocument'> = {}) {
    return this.call('openDocument', params);
  }
  saveDocument(params: Request<'saveDocument'>) {
    return this.call('saveDocument', params);
  }
  recentFiles(params: Request<'recentFiles'> = {}) {
    return this.call('recentFiles', params);
  }
  autosave(params: Request<'autosave'>) {
    return this.call('autosave', params);
  }
  recoverAutosave(params: Request<'recoverAutosave'> = {}) {
    return this.call('recoverAutosave', params);
  }
  discardAutosave(params: Request<'discardAutosave'> = {}) {
    return this.call('discardAutosave', params);
  }
  validate(params: Request<'validate'>) {
    return this.call('validate', params);
  }
  compile(params: Request<'compile'>) {
    return this.call('compile', params);
  }
  cancelCompile(params: Request<'cancelCompile'>) {
    return this.call('cancelCompile', params);
  }
  startJob(params: Request<'startJob'>) {
    return this.call('startJob', params);
  }
  cancelJob(params: Request<'cancelJob'>) {
    return this.call('cancelJob', params);
  }

  pauseJob(params: Request<'pauseJob'>) {
    return this.call('pauseJob', params);
  }
  resumeJob(params: Request<'resumeJob'>) {
    return this.call('resumeJob', params);
  }
  previewDataset(params: Request<'previewDataset'>) {
    return this.call('previewDataset', params);
  }
  listRuns(params: Request<'listRuns'>) {
    return this.call('listRuns', params);
  }
  readRun(params: Request<'readRun'>) {
    return this.call('readRun', params);
  }
  renameRun(params: Request<'renameRun'>) {
    return this.call('renameRun', params);
  }
  deleteRun(params: Request<'deleteRun'>) {
    return this.call('deleteRun', params);
  }
  writeArtifact(params: Request<'writeArtifact'>) {
    return this.call('writeArtifact', params);
  }

  /**
   * Events as the host sent them, checked against their schema: an event that does not fit (a
   * host of another version, a corrupted frame) is dropped with a warning instead of reaching a
   * listener that would read fields it does not have.
   */
  onEvent(listener: (e: StudioEvent) => void): () => void {
    return this.transport.onEvent((raw) => {
      const parsed = studioEventSchema.safeParse(raw);
      if (parsed.success) listener(parsed.data);
      else console.warn(`snn-studio: dropped an event that does not fit the API: ${parsed.error.issues[0]?.message ?? ''}`);
    });
  }

  private async call<M extends Method>(method: M, params: Request<M>): Promise<ResponseMap[M]> {
    const reply = await this.transport.request(method, params);
    if (!reply.ok) throw new StudioError(reply.error, reply.code);
    return reply.result as ResponseMap[M];
  }
}
