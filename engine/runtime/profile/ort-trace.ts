/**
 * ONNX Runtime's profiler trace, read back as time per document node. Each kernel event names the
 * ONNX node it ran: the emitter's `<op>_<index>` (ORT keeps that name on nodes it fuses into), or
 * for convolutions and pools ORT moved to its blocked layout `<output>_nchwc`, where the output
 * may be that of a node ORT fused into it (a Conv takes its BatchNormalization's output): the name
 * goes to the nearest node up the chain with the kernel's own op type. The emitter recorded the IR
 * scope of every node. The layout reorders ORT inserts around those (ReorderInput before,
 * ReorderOutput after) belong to the node they serve; any other inserted node to the one before it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface TraceEvent {
  readonly cat?: string;
  readonly name: string;
  readonly ts: number;
  readonly dur: number;
  readonly args?: { readonly op_name?: string };
}

/** An emitted ONNX node: its name, output names and the IR scope it was lowered from. */
export interface TracedNode {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly scope: string;
}

export interface TraceTimes {
  /** Kernel µs by IR scope, summed over the runs kept ('' for ops outside any document node). */
  readonly byScope: Map<string, number>;
  /** Of those, µs of nodes ORT inserted, given to their neighbour's scope. */
  readonly insertedUs: number;
  /** Whole-run durations in µs, as ORT measured them, of the runs kept. */
  readonly runsUs: readonly number[];
  /** Σ kernel µs inside each of those runs, in the same order. */
  readonly runKernelsUs: readonly number[];
}

/** A temporary directory for one session's trace file. */
export function traceDirectory(): { prefix: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'snn-profile-'));
  return { dir, prefix: join(dir, 'ort') };
}

/**
 * Reads the trace ORT wrote into `dir` (and removes it). The first `skipRuns` runs (allocation,
 * first-touch pages) are left out of every number.
 */
export function readTrace(dir: string, nodes: readonly TracedNode[], skipRuns: number): TraceTimes {
  try {
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new Error(`profile: ONNX Runtime wrote no trace in ${dir}`);
    return traceTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as TraceEvent[], nodes, skipRuns);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function traceTimes(events: readonly TraceEvent[], nodes: readonly TracedNode[], skipRuns: number): TraceTimes {
  const byName = new Map(nodes.map((n) => [n.name, n.scope]));
  const producer = new Map(nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const scopeOf = (name: string, op: string | undefined): string | undefined => {
    const own = /^([A-Za-z]+_\d+)/.exec(name);
    if (own && byName.has(own[1]!)) return byName.get(own[1]!);
    const blocked = /^(.+)_nchwc$/.exec(name);
    const last = blocked ? producer.get(blocked[1]!) : undefined;
    if (!last) return undefined;
    for (let n: TracedNode | undefined = last, hops = 0; n && hops < 4; hops++) {
      if (n.opType === op) return n.scope;
      n = n.inputs.map((i) => producer.get(i)).find((p) => p !== undefined);
    }
    return last.scope;
  };
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const skip = Math.min(skipRuns, Math.max(0, runs.length - 1));
  const from = skip === 0 ? -Infinity : runs[skip - 1]!.ts + runs[skip - 1]!.dur;
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.ts >= from).sort((a, b) => a.ts - b.ts);

  const byScope = new Map<string, number>();
  const add = (scope: string, us: number) => byScope.set(scope, (byScope.get(scope) ?? 0) + us);
  let insertedUs = 0;
  let previous = '';
  let waiting = 0; // ReorderInput time waiting for the node it feeds
  for (const k of kernels) {
    const scope = scopeOf(k.name.slice(0, -'_kernel_time'.length), k.args?.op_name);
    if (scope !== undefined) {
      add(scope, k.dur + waiting);
      waiting = 0;
      previous = scope;
      continue;
    }
    insertedUs += k.dur;
    if (k.args?.op_name === 'ReorderInput') waiting += k.dur;
    else add(previous, k.dur);
  }
  if (waiting > 0) add(previous, waiting);
  const kept = runs.slice(skip);
  const runKernelsUs = kept.map((r) => kernels.filter((k) => k.ts >= r.ts && k.ts <= r.ts + r.dur).reduce((a, k) => a + k.dur, 0));
  return { byScope, insertedUs, runsUs: kept.map((r) => r.dur), runKernelsUs };
}
