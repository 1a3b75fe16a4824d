/**
 * How busy the machine was with other work while a benchmark ran. On a shared 2-core machine,
 * other processes change timings by 2–4× (shared/notes/ort-training.md, pitfall 2); every timed
 * row reports this share so that a reader can tell a quiet measurement from a noisy one.
 */
import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
  readonly busy: number;
  readonly total: number;
  readonly ours: number;
}

/** /proc/stat and the CPU ticks of this process and of `pids` (Linux only; zeros elsewhere). */
export function cpuSnapshot(pids: readonly number[] = []): CpuSnapshot {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const ours = [process.pid, ...pids].reduce((s, pid) => s + procTicks(pid), 0);
    return { busy: total - idle, total, ours };
  } catch {
    return { busy: 0, total: 0, ours: 0 };
  }
}

function procTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the command: state is field 3, utime 14, stime 15 (1-based in proc(5))
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Share (0–1) of the machine's CPU time used by processes other than ours between two snapshots. */
export function otherLoad(a: CpuSnapshot, b: CpuSnapshot): number {
  const total = b.total - a.total;
  if (total <= 0) return 0;
  return Math.max(0, (b.busy - a.busy - (b.ours - a.ours)) / total);
}

/**
 * Waits (up to `maxMs`) until other processes use less than `threshold` of the machine over a
 * 1-second window; returns the load last seen. Benchmarks call it before each timed block.
 */
export async function waitForQuiet(maxMs = 60_000, threshold = 0.1): Promise<number> {
  const until = Date.now() + maxMs;
  for (;;) {
    const a = cpuSnapshot();
    await new Promise((r) => setTimeout(r, 1000));
    const load = otherLoad(a, cpuSnapshot());
    if (load < threshold || Date.now() >= until) return load;
  }
}
