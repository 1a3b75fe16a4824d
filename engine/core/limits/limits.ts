/**
 * What a valid document may ask of the compiler: limits on the expanded graph, checked during
 * validation from the shape analysis alone (which reuses each composite's analysis, so an 11 KB
 * document whose composites each use the one below twice is measured in linear time, though it
 * expands to millions of nodes). A document past a limit gets a located error naming the node
 * that grows too large and the limit; a document within them compiles in bounded time and memory.
 *
 * The defaults sit well above every template of the gallery at its ImageNet preset; a user with a
 * larger model raises them (`--limit nodes=500000` on the CLI).
 */
import type { BodyInfo, NodeInfo } from '../graph/infer.js';
import type { Problem } from '../problems.js';

export interface Limits {
  /**
   * Primitive nodes after every composite is expanded, each use of a composite counting its whole
   * inside, and a neuron once per time step (compile unrolls it over T).
   */
  readonly nodes: number;
  /** Elements of the largest single tensor for one sample (an activation over all T, or one node's parameters). */
  readonly tensorElements: number;
  /** Learnable parameters of the whole model (the ONNX file holds them as float32; protobuf stops at 2 GiB). */
  readonly parameters: number;
  /** Bytes of every node output of one sample over all T, as float32. */
  readonly activationBytes: number;
}

/**
 * The gallery's largest template (Meta-SpikeFormer 8-512) expands to 666 nodes (neurons counted per
 * time step), its largest tensor holds 19.3 M elements, the largest model 70 M parameters, and
 * one sample's activations take at most 1.5 GiB. A document just under the node limit (a
 * doubling-composite chain of 16,384 linear + LIF pairs at T=2: 49,152 nodes) compiles in 20 s
 * into a 26 MB model at 760 MB peak memory.
 */
export const DEFAULT_LIMITS: Limits = {
  nodes: 50_000,
  tensorElements: 2 ** 28,
  parameters: 400_000_000,
  activationBytes: 32 * 1024 ** 3,
};

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

/** What each limit counts, for messages and `--help`. */
export const LIMIT_UNITS: Readonly<Record<keyof Limits, string>> = {
  nodes: 'primitive nodes',
  tensorElements: 'elements in one tensor',
  parameters: 'parameters',
  activationBytes: 'activation bytes per sample',
};

interface Totals {
  nodes: number;
  activationElements: number;
  /** Largest tensor below this body and where it is: node ids from the body down. */
  largest: number;
  largestAt: readonly string[];
  largestWhat: string;
}

/** The limit problems of an analysed document body (none when it is within every limit). */
export function checkLimits(body: BodyInfo, timeSteps: number, paramCount: number, limits: Limits = DEFAULT_LIMITS): Problem[] {
  const memo = new WeakMap<BodyInfo, Totals>();
  const problems: Problem[] = [];
  const perNode = body.nodes.map((n) => ({ node: n, totals: nodeTotals(n, timeSteps, memo) }));
  const total = bodyTotals(body, timeSteps, memo);
  const located = (n: NodeInfo) => ({ path: `nodes[${n.index}] "${n.id}"`, nodeId: n.id });

  if (total.nodes > limits.nodes) {
    const biggest = perNode.reduce((a, b) => (b.totals.nodes > a.totals.nodes ? b : a));
    const where = biggest.totals.nodes > limits.nodes ? located(biggest.node) : { path: 'nodes' };
    const subject = biggest.totals.nodes > limits.nodes ? 'expands to' : 'the graph expands to';
    problems.push(error(where, `${subject} ${count(biggest.totals.nodes > limits.nodes ? biggest.totals.nodes : total.nodes)} primitive nodes (a neuron once per time step); the limit is ${count(limits.nodes)} (limit "nodes")`));
  }
  if (total.largest > limits.tensorElements) {
    const at = perNode.find((p) => p.totals.largest === total.largest)!;
    const inner = at.totals.largestAt.slice(1);
    const what = at.totals.largestWhat === 'parameters' ? `a parameter count of ${count(total.largest)}` : `${at.totals.largestWhat} of ${count(total.largest)} elements per sample`;
    const inside = inner.length > 0 ? `inside it, ${inner.map((s) => `"${quoteId(s)}"`).join(' › ')} has ` : 'has ';
    problems.push(error(located(at.node), `${inside}${what}; the limit for one tensor is ${count(limits.tensorElements)} (limit "tensorElements")`));
  }
  if (paramCount > limits.parameters) {
    const biggest = body.nodes.reduce((a, b) => (b.paramCount > a.paramCount ? b : a));
    problems.push(error({ path: 'nodes' }, `the model has ${count(paramCount)} parameters (the most, ${count(biggest.paramCount)}, in "${quoteId(biggest.id)}"); the limit is ${count(limits.parameters)} (limit "parameters")`));
  }
  const bytes = total.activationElements * 4;
  if (bytes > limits.activationBytes) {
    const biggest = perNode.reduce((a, b) => (b.totals.activationElements > a.totals.activationElements ? b : a));
    problems.push(
      error({ path: 'nodes' }, `one sample's activations take ${gib(bytes)} (the most, ${gib(biggest.totals.activationElements * 4)}, in "${quoteId(biggest.node.id)}"); the limit is ${gib(limits.activationBytes)} (limit "activationBytes")`),
    );
  }
  return problems;
}

/** Limits from `name=value` pairs (CLI flags); unknown names and values that are not positive numbers are refused. */
export function parseLimits(pairs: readonly string[], base: Limits = DEFAULT_LIMITS): Limits {
  const out: Record<string, number> = { ...base };
  for (const pair of pairs) {
    const m = /^([A-Za-z]+)=([0-9.eE+_]+)$/.exec(pair);
    const name = m?.[1];
    const value = m ? Number(m[2]!.replace(/_/g, '')) : NaN;
    if (!name || !(LIMIT_NAMES as string[]).includes(name)) throw new RangeError(`unknown limit "${pair.slice(0, 40)}"; limits: ${LIMIT_NAMES.join(', ')} (as name=value)`);
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`limit ${name} must be a positive number, got "${pair.slice(name.length + 1, name.length + 41)}"`);
    out[name] = value;
  }
  return out as unknown as Limits;
}

function bodyTotals(body: BodyInfo, timeSteps: number, memo: WeakMap<BodyInfo, Totals>): Totals {
  const hit = memo.get(body);
  if (hit) return hit;
  const t: Totals = { nodes: 0, activationElements: 0, largest: 0, largestAt: [], largestWhat: '' };
  for (const n of body.nodes) {
    const nt = nodeTotals(n, timeSteps, memo);
    t.nodes += nt.nodes;
    t.activationElements += nt.activationElements;
    if (nt.largest > t.largest) {
      t.largest = nt.largest;
      t.largestAt = nt.largestAt;
      t.largestWhat = nt.largestWhat;
    }
  }
  memo.set(body, t);
  return t;
}

function nodeTotals(n: NodeInfo, timeSteps: number, memo: WeakMap<BodyInfo, Totals>): Totals {
  if (n.inner) {
    const inner = bodyTotals(n.inner, timeSteps, memo);
    return { ...inner, largestAt: [n.id, ...inner.largestAt] };
  }
  const io = n.block.id === 'input' || n.block.id === 'output';
  let activationElements = 0;
  let largest = n.paramCount;
  let largestWhat = 'parameters';
  for (const [port, t] of Object.entries(n.outputs)) {
    const elements = t.shape.reduce((a, b) => a * b, 1) * (t.timed ? timeSteps : 1);
    if (!io) activationElements += elements;
    if (elements > largest) {
      largest = elements;
      largestWhat = `output ${port}`;
    }
  }
  return { nodes: io ? 0 : n.block.category === 'neurons' ? timeSteps : 1, activationElements, largest, largestAt: [n.id], largestWhat };
}

function error(where: { path: string; nodeId?: string }, message: string): Problem {
  return { severity: 'error', ...where, message };
}

function count(n: number): string {
  if (n >= 1e15) return n.toExponential(2);
  const p = Math.log2(n);
  const pow = Number.isInteger(p) && p >= 16 ? ` (2^${p})` : '';
  return `${Math.round(n).toLocaleString('en-US')}${pow}`;
}

function gib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** Ids are at most 200 characters (schema), but a message quotes a short prefix only. */
function quoteId(id: string): string {
  return id.length > 60 ? `${id.slice(0, 60)}…` : id;
}
