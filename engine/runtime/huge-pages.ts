/**
 * Transparent huge pages for the engine's processes on Linux. glibc (2.35 and later) reads the
 * `glibc.malloc.hugetlb=1` tunable at process start and then asks the kernel for huge pages
 * (madvise) behind malloc's large blocks, which back every big tensor here: V8's ArrayBuffers,
 * ONNX Runtime's initializers and arena. With 4 KB pages each fresh page of those costs a page
 * fault; measured on a 2-core VM (AMD EPYC, the bench's host of 2026-12-07), first touching 265 MB
 * took 640–690 ms with 4 KB pages and 36–440 ms with huge pages, compiling Spikformer-8-768 and
 * opening its session 3.0 s → 2.2 s, and its batch-1 forward ran faster too (fewer TLB misses).
 *
 * A tunable only works from the start of a process, so a launcher either passes it to the
 * processes it spawns (`withHugePages`) or runs itself again with it (`relaunchWithHugePages`).
 * Nothing changes on other systems, under another C library, or where the user set
 * `glibc.malloc.hugetlb` themselves; `SNN_STUDIO_HUGE_PAGES=0` turns it off.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const KEY = 'glibc.malloc.hugetlb';
export const HUGE_PAGES_TUNABLE = `${KEY}=1`;
/** Set in a relaunched process, so it never relaunches again. */
const RELAUNCHED = 'SNN_STUDIO_RELAUNCHED';

type Env = Readonly<Record<string, string | undefined>>;

export interface Platform {
  readonly os: NodeJS.Platform;
  /** The running glibc's version ("2.36"), or undefined under another C library. */
  readonly glibc: string | undefined;
}

export function currentPlatform(): Platform {
  const report = process.platform === 'linux' ? (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined) : undefined;
  return { os: process.platform, glibc: report?.header?.glibcVersionRuntime };
}

/** `env` with the huge-pages tunable added where it can work and nobody decided otherwise; else `env` itself. */
export function withHugePages(env: Env, platform: Platform): Env {
  if (platform.os !== 'linux' || !glibcAtLeast(platform.glibc, 2, 35)) return env;
  if (env.SNN_STUDIO_HUGE_PAGES === '0') return env;
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.split(':').some((t) => t.split('=')[0] === KEY)) return env;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE };
}

function glibcAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return !!m && (Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor));
}

/**
 * Runs this process's command line again in a child that has the tunable, passing the terminal
 * (stdio) through, and resolves with the child's exit code; resolves undefined, doing nothing,
 * where the tunable is already in effect or cannot work. Ctrl-C reaches the child from the
 * terminal itself; a SIGTERM or SIGHUP sent to this process only is passed on.
 */
export function relaunchWithHugePages(env: Env = process.env, platform?: Platform): Promise<number> | undefined {
  // checked first: the relaunched process, which does the work, need not read the platform again
  if (env[RELAUNCHED]) return undefined;
  const wanted = withHugePages(env, platform ?? currentPlatform());
  if (wanted === env) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...wanted, [RELAUNCHED]: '1' } });
  const ignore = () => {};
  const pass = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGINT', ignore],
    ['SIGTERM', pass('SIGTERM')],
    ['SIGHUP', pass('SIGHUP')],
  ];
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve) => {
    const done = (code: number) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code);
    };
    child.on('error', () => done(1));
    // a child killed by a signal exits as shells report it: 128 + the signal's number
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
