/**
 * Profiling cost: the time to profile Spikformer-4-384 (CIFAR size) on 256 samples — inference
 * model with activity taps, under ONNX Runtime's profiler, trace read back to document nodes —
 * against plain inference on the same samples (compile, session, the same batches). Target: under
 * twice plain inference. The samples are seeded uniform images: no CIFAR-10 copy is needed, and
 * time does not depend on the pixel values. Sessions use 2 intra-op threads (BENCH_THREADS). The two
 * alternate for BENCH_PROFILE_ROUNDS rounds (default 2) and each reports its fastest, so a burst
 * of load on a shared machine does not land on one side only. The process's CPU time (every ORT
 * thread's) is reported too: on a busy machine it tells the work apart from the waiting.
 */
import { Rng } from '../../engine/core/rng.js';
import { compileInference, INPUT_NAME } from '../../engine/runtime/compile.js';
import { profileRun } from '../../engine/runtime/profile/profile-run.js';
import { createSession, floatTensor } from '../../engine/runtime/session.js';
import { buildTemplate } from '../../templates/index.js';
import { waitForQuiet } from '../cpu.js';
import type { BenchRow } from '../types.js';

const SAMPLES = Number(process.env.BENCH_PROFILE_SAMPLES ?? 256);
const BATCH = 32;

export async function run(): Promise<BenchRow[]> {
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const doc = buildTemplate('spikformer', '4-384');
  const perSample = doc.input.shape.reduce((a, b) => a * b, 1);
  const rng = Rng.fromSeed(0);
  const batches = Array.from({ length: Math.ceil(SAMPLES / BATCH) }, () => ({ x: Float32Array.from({ length: BATCH * perSample }, () => rng.uniform()), size: BATCH }));

  const rounds = Number(process.env.BENCH_PROFILE_ROUNDS ?? 2);
  let plainS = Infinity;
  let profileS = Infinity;
  let plainCpu = Infinity;
  let profileCpu = Infinity;
  const cpuS = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1e6;
  };
  let profiled: Awaited<ReturnType<typeof profileRun>> | undefined;
  for (let r = 0; r < rounds; r++) {
    await waitForQuiet(3_000);
    let t = performance.now();
    let cpu = process.cpuUsage();
    const compiled = compileInference(doc, { batch: BATCH });
    const session = await createSession(compiled.bytes, { threads });
    for (const b of batches) await session.run({ [INPUT_NAME]: floatTensor(b.x, compiled.inputShape) });
    await session.release();
    plainS = Math.min(plainS, (performance.now() - t) / 1000);
    plainCpu = Math.min(plainCpu, cpuS(cpu));

    await waitForQuiet(3_000);
    t = performance.now();
    cpu = process.cpuUsage();
    profiled = await profileRun(doc, batches, { batch: BATCH, samples: SAMPLES, threads });
    profileS = Math.min(profileS, (performance.now() - t) / 1000);
    profileCpu = Math.min(profileCpu, cpuS(cpu));
  }
  if (!profiled) throw new Error('BENCH_PROFILE_ROUNDS must be at least 1');

  const note = `${SAMPLES} samples, batch ${BATCH}, ${threads} threads, fastest of ${rounds} alternating rounds; peer: plain inference (compile, session, same batches)`;
  return [
    { suite: 'profile', name: 'profile spikformer 4-384', value: profileS, unit: 's', peer: plainS, note },
    { suite: 'profile', name: 'profile spikformer 4-384 CPU time', value: profileCpu, unit: 's', peer: plainCpu, note: 'user + system time of the process, all threads' },
    {
      suite: 'profile',
      name: 'profile spikformer 4-384 kernels in rows',
      value: profiled.profile.totals.timeMs === undefined ? 0 : (100 * (profiled.profile.totals.timeMs - (profiled.profile.totals.unattributedMs ?? 0))) / profiled.latency.kernelMs,
      unit: '%',
      note: 'share of ORT kernel time mapped to document nodes',
    },
  ];
}
