/**
 * The renderer's StudioApi over any transport: each method is one request/response round trip, an
 * error reply becomes a thrown StudioError, and events come from the transport's push channel.
 * Browser-safe (no node:*): the WebSocket and the Electron IPC transports both plug in here.
 */
import { StudioError, type Method, type Request, type ResponseMap, type StudioApi, type StudioEvent, type WireResponse } from './studio-api.js';

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
  startJob(params: Request<'startJob'>) {
    return this.call('startJob', params);
  }
  cancelJob(params: Request<'cancelJob'>) {
    return this.call('cancelJob', params);
  }

  onEvent(listener: (e: StudioEvent) => void): () => void {
    return this.transport.onEvent(listener);
  }

  private async call<M extends Method>(method: M, params: Request<M>): Promise<ResponseMap[M]> {
    const reply = await this.transport.request(method, params);
    if (!reply.ok) throw new StudioError(reply.error, reply.code);
    return reply.result as ResponseMap[M];
  }
}
