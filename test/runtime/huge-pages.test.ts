// The huge-pages tunable: which environments get it, and the relaunch that applies it (a real
// child process: its environment, exit code and signals).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HUGE_PAGES_TUNABLE, withHugePages } from '../../engine/runtime/huge-pages.js';

const glibc236 = { os: 'linux', glibc: '2.36' } as const;
const PROBE = fileURLToPath(new URL('./helpers/relaunch-probe.mts', import.meta.url));

describe('withHugePages', () => {
  it('adds the tunable on Linux with glibc 2.35 or later, after the tunables already set', () => {
    expect(withHugePages({ PATH: '/bin' }, glibc236).GLIBC_TUNABLES).toBe(HUGE_PAGES_TUNABLE);
    expect(withHugePages({}, { os: 'linux', glibc: '2.35' }).GLIBC_TUNABLES).toBe(HUGE_PAGES_TUNABLE);
    expect(withHugePages({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, glibc236).GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${HUGE_PAGES_TUNABLE}`);
  });

  it('leaves the environment alone where the tunable cannot work or someone decided', () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' };
    expect(withHugePages(env, glibc236)).toBe(env);
    const off = { SNN_STUDIO_HUGE_PAGES: '0' };
    expect(withHugePages(off, glibc236)).toBe(off);
    const plain = {};
    for (const p of [{ os: 'linux', glibc: '2.34' }, { os: 'linux', glibc: undefined }, { os: 'darwin', glibc: undefined }, { os: 'win32', glibc: undefined }] as const) {
      expect(withHugePages(plain, p)).toBe(plain);
    }
  });
});

interface Probed {
  readonly code: number | null;
  readonly seen: { pid: number; tunables: string | null };
}

function probe(arg: string, env: NodeJS.ProcessEnv, whenSeen?: (parent: ReturnType<typeof spawn>) => void): Promise<Probed> {
  return new Promise((resolve, reject) => {
    const parent = spawn(process.execPath, ['--import', 'tsx', PROBE, arg], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) whenSeen?.(parent);
    });
    parent.on('error', reject);
    parent.on('exit', (code) => resolve({ code, seen: JSON.parse(out.trim()) as Probed['seen'] }));
  });
}

describe('relaunchWithHugePages', () => {
  const env = { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.arena_max=4', SNN_STUDIO_HUGE_PAGES: undefined, SNN_STUDIO_RELAUNCHED: undefined };

  it('runs the command again with the tunable and exits with its exit code', async () => {
    const r = await probe('7', env);
    expect(r.seen.tunables).toBe(`glibc.malloc.arena_max=4:${HUGE_PAGES_TUNABLE}`);
    expect(r.code).toBe(7);
  });

  it('does nothing when turned off', async () => {
    const r = await probe('3', { ...env, SNN_STUDIO_HUGE_PAGES: '0' });
    expect(r.seen.tunables).toBe('glibc.malloc.arena_max=4');
    expect(r.code).toBe(3);
  });

  it('passes a SIGTERM sent to the launcher on to the relaunched process', async () => {
    let parentPid = 0;
    const r = await probe('wait', env, (parent) => {
      parentPid = parent.pid!;
      parent.kill('SIGTERM');
    });
    // the work ran in another process, which the signal ended (128 + 15, as a shell reports it)
    expect(r.seen.pid).not.toBe(parentPid);
    expect(r.code).toBe(143);
    expect(() => process.kill(r.seen.pid, 0)).toThrow();
  }, 30_000);
});
