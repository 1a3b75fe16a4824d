/**
 * Peak resident memory of this process. `ru_maxrss` (process.resourceUsage().maxRSS) is wrong for
 * the bench's probes: Linux keeps the high-water mark across fork + exec, so a probe spawned by a
 * bench process holding 1.7 GB reports 1.7 GB whatever it used itself (measured: a 40 MB child of
 * a 1.5 GB parent read 1,434 MB). /proc/self/status VmHWM belongs to the new address space and is
 * right; other systems fall back to maxRSS.
 */
import { readFileSync } from 'node:fs';

export function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
