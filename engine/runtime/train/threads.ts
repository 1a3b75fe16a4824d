/**
 * How many intra-op threads a training run should use: the cores other work leaves free. A second
 * busy process made a 2-thread step 3x slower (notes/ort-training.md), so the default never
 * oversubscribes on purpose. Measured over a short window (the load average lags by a minute).
 */
import { cpus } from 'node:os';

export async function freeCores(windowMs = 300): Promise<number> {
  const before = cpus();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = cpus();
  let idle = 0;
  let total = 0;
  after.forEach((cpu, i) => {
    const prev = before[i]?.times;
    if (!prev) return;
    const t = cpu.times;
    idle += t.idle - prev.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq - (prev.user + prev.nice + prev.sys + prev.idle + prev.irq);
  });
  if (total <= 0) return Math.max(1, after.length);
  // a core counts as free when at least ~60% of it was idle
  return Math.max(1, Math.min(after.length, Math.round((idle / total) * after.length + 0.1)));
}
