/** Numbers as a dense UI shows them. */

/** 0, 950, 1.2k, 35.4M, 2.1G: parameter counts and operation counts. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 999.5) return String(Math.round(n));
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  // 999,999 shows as 1M, not 1000k: a unit applies once the value rounds to at least 1 of it
  for (const [scale, unit] of units) if (abs >= scale * 0.9995) return `${Number.parseFloat((n / scale).toPrecision(3))}${unit}`;
  return String(n);
}

/** Percentages for shares (spike-driven MACs): one decimal below 10 %. */
export function formatPercent(share: number): string {
  const p = share * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : p.toFixed(0)}%`;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** File sizes: 812 B, 14.2 kB, 3.1 MB (powers of 1000, as file managers print them). */
export function formatBytes(n: number): string {
  return n < 999.5 ? `${Math.round(n)} B` : `${formatCount(n).replace(/[kMGT]$/, (u) => ` ${u}`)}B`;
}
