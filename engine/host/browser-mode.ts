/**
 * Browser mode, assembled: the server that carries the page and the API, and a host whose file
 * access goes through the picker (rooted at the working directory and the user's home).
 *
 * The server listens before the host is loaded: the engine's modules (schemas, blocks, templates,
 * compiler) take most of a second to load, and that time overlaps with the browser fetching and
 * starting the page, whose first call simply waits for the host to be ready.
 */
import { homedir } from 'node:os';
import { EventListeners } from '../api/event-listeners.js';
import { requestIdOf, type WireResponse } from '../api/wire.js';
import type { Dispatch } from './dispatch.js';
import { defaultConfigDir } from './store/config-dir.js';
import { startStudioServer, type StudioServer } from './server/studio-server.js';
import type { StudioHost } from './studio-host.js';

export interface BrowserModeOptions {
  /** The built renderer. */
  readonly staticRoot: string;
  readonly configDir?: string;
  /** Where the picker starts; it may also show the user's home. */
  readonly workingDir?: string;
  readonly port?: number;
  readonly version?: string;
}

export interface BrowserMode {
  readonly server: StudioServer;
  /** Resolves once the engine is loaded (rejects if it cannot start). */
  readonly host: Promise<StudioHost>;
  close(): Promise<void>;
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const events = new EventListeners();
  const ready = loadHost(options, events);
  const host = ready.then((r) => r.host);
  // logged once here, and each call answers with the reason; the page is still served
  host.catch((e: unknown) => console.error('snn-studio: the engine could not start:', e));
  const dispatch: Dispatch = async (message) => {
    try {
      return await (await ready).dispatch(message);
    } catch (e) {
      return { id: requestIdOf(message), ok: false, code: 'unavailable', error: `the engine could not start: ${(e as Error).message}` } satisfies WireResponse;
    }
  };
  const server = await startStudioServer({
    dispatch,
    subscribe: (listener) => events.add(listener),
    staticRoot: options.staticRoot,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  return {
    server,
    host,
    async close() {
      await server.close();
      await host.then((h) => h.close()).catch(() => {});
    },
  };
}

async function loadHost(options: BrowserModeOptions, events: EventListeners): Promise<{ host: StudioHost; dispatch: Dispatch }> {
  const [{ StudioHost }, { createDispatcher }] = await Promise.all([import('./studio-host.js'), import('./dispatch.js')]);
  const host = await StudioHost.create({
    mode: 'browser',
    configDir: options.configDir ?? defaultConfigDir(),
    pickerRoots: [options.workingDir ?? process.cwd(), homedir()],
    ...(options.version ? { version: options.version } : {}),
  });
  host.onEvent((e) => events.emit(e));
  return { host, dispatch: createDispatcher(host) };
}
