/**
 * One template preset measured in a process of its own (so that peak RSS is this preset's alone):
 * `tsx bench/suites/templates/preset.ts <template> <preset> <threads> <runs>` compiles the preset's
 * document to ONNX bytes, creates an ONNX Runtime session, runs one warm-up forward pass at batch 1
 * and then `runs` timed ones (more, up to 10, while they add up to under a second), and prints one
 * JSON line (`PresetMeasurement`); what it measured before a failure is printed too, with the
 * error. Lives below suites/ so that bench/run.ts does not take it for a suite.
 */
import { numelOf } from '../../../engine/core/ir/primitive.js';
import { Rng } from '../../../engine/core/rng.js';
import { compileInference } from '../../../engine/runtime/compile.js';
import { createSession, floatTensor, type ort } from '../../../engine/runtime/session.js';
import { buildTemplate } from '../../../templates/index.js';
import { cpuSnapshot, otherLoad } from '../../cpu.js';
import { peakRssMb } from '../../memory.js';

export interface PresetMeasurement {
  /** Document → ONNX bytes (analyse, lower, initialise, emit, encode). */
  compileMs?: number;
  modelBytes?: number;
  macs?: number;
  sessionMs?: number;
  /** The warm-up pass (the first run of a fresh session). */
  firstRunMs?: number;
  /** Batch-1 forward passes after the warm-up. */
  runsMs?: number[];
  /** Peak resident memory of this process (bench/memory.ts), in MB (MiB). */
  peakRssMb: number;
  /** Share of the machine other processes used while this process measured. */
  otherLoad: number;
  error?: string;
}

const MAX_RUNS = 10;

async function main(): Promise<void> {
  const [template, preset, threadsArg = '2', runsArg = '3'] = process.argv.slice(2);
  if (!template || !preset) throw new Error('usage: preset.ts <template> <preset> [threads] [runs]');
  const threads = Number(threadsArg);
  const runs = Math.max(1, Number(runsArg));
  const m: Partial<PresetMeasurement> = {};
  const cpu0 = cpuSnapshot();
  let session: ort.InferenceSession | undefined;
  try {
    const doc = buildTemplate(template, preset);
    const t0 = performance.now();
    const compiled = compileInference(doc, { batch: 1 });
    m.compileMs = performance.now() - t0;
    m.modelBytes = compiled.bytes.length;
    m.macs = compiled.analysis.macs;
    const t1 = performance.now();
    session = await createSession(compiled.bytes, { threads });
    m.sessionMs = performance.now() - t1;
    // what forwardOnce (test/helpers/forward.ts) feeds: uniform pixels, or sparse binary events
    const rng = Rng.fromSeed(1);
    const events = doc.input.kind === 'events';
    const x = Float32Array.from({ length: numelOf(compiled.inputShape) }, () => (events ? (rng.uniform() < 0.2 ? 1 : 0) : rng.uniform()));
    const feeds = { input: floatTensor(x, compiled.inputShape) };
    const timed = async (): Promise<number> => {
      const t = performance.now();
      await session!.run(feeds);
      return performance.now() - t;
    };
    m.firstRunMs = await timed();
    // `runs` timed passes, more (up to MAX_RUNS) while they add up to less than a second: a median
    // of 3 for the 100-GMAC models, of up to 10 for the fast ones
    const times: number[] = [];
    m.runsMs = times;
    while (times.length < runs || (times.length < MAX_RUNS && times.reduce((a, b) => a + b, 0) < 1000)) times.push(await timed());
  } catch (e) {
    m.error = (e as Error)?.message?.split('\n')[0] ?? String(e);
  } finally {
    await session?.release();
  }
  const out: PresetMeasurement = { ...m, peakRssMb: peakRssMb(), otherLoad: otherLoad(cpu0, cpuSnapshot()) };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1]?.endsWith('preset.ts')) await main();
