/**
 * `npm start [-- --browser] [--no-open]`: decides the mode (launch-mode.ts), makes sure the renderer
 * is built, then runs the Electron app or serves browser mode until interrupted. If Electron starts
 * but dies at once (no usable display after all, a GPU process that cannot start), browser mode
 * takes over instead of leaving the user with nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserMode } from '../../engine/host/browser-mode.js';
import { electronRuns, findElectronBinary } from './electron-binary.js';
import { fetchElectronBinary } from './fetch-electron.js';
import { decideLaunch, hasDisplay, isCi } from './launch-mode.js';
import { openInBrowser } from './open-url.js';
import { ensureRendererBuilt } from './renderer-build.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** An Electron that exits with an error sooner than this never showed a usable window. */
const EARLY_EXIT_MS = 10_000;

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm start [-- --browser] [--no-open]\n  --browser  serve the UI on 127.0.0.1 instead of opening the desktop app\n  --no-open  do not open the browser-mode URL in the default browser');
    return 0;
  }
  const decision = await decideLaunch({
    argv,
    env: process.env,
    platform: process.platform,
    electronBinary: findElectronBinary(ROOT),
    fetchBinary: async () => ((await fetchElectronBinary(ROOT)) ? findElectronBinary(ROOT) : null),
    binaryRuns: (binary) => electronRuns(binary),
  });
  let rendererDist: string;
  try {
    rendererDist = ensureRendererBuilt(ROOT);
  } catch (e) {
    console.error(`snn-studio: ${(e as Error).message}`);
    return 1;
  }
  if (decision.mode === 'electron') {
    const outcome = await runElectron(decision.binary);
    if (outcome.code === 0 || outcome.ms >= EARLY_EXIT_MS) return outcome.code;
    return runBrowserMode(rendererDist, `Electron exited at once (code ${outcome.code})`, argv);
  }
  return runBrowserMode(rendererDist, decision.reason, argv);
}

async function runElectron(binary: string): Promise<{ code: number; ms: number }> {
  // loaded here only: Vite costs a quarter second that browser mode does not need to pay
  const { buildElectron } = await import('../build-electron.js');
  await buildElectron();
  const started = Date.now();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [ROOT], { stdio: 'inherit', env });
  return new Promise((resolve) => {
    child.on('error', () => resolve({ code: 1, ms: Date.now() - started }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), ms: Date.now() - started }));
  });
}

async function runBrowserMode(staticRoot: string, reason: string, argv: readonly string[]): Promise<number> {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const mode = await startBrowserMode({ staticRoot, version });
  console.log(`SNN Studio — browser mode (${reason}).\nOpen this URL (it carries this session's access token):\n\n  ${mode.server.url}\n`);
  const wantOpen = !argv.includes('--no-open') && !isCi(process.env) && hasDisplay(process.platform, process.env);
  if (wantOpen) openInBrowser(mode.server.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await mode.close();
  return 0;
}
