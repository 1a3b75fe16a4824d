/**
 * Shape and value-kind inference over a document: for every node its input/output tensor types,
 * parameter count and MACs, for every edge the type it carries, or located problems. Composite
 * nodes are analysed by walking their expanded inside; an inside analysed once for a given block,
 * parameters and input types is reused (the cache), so an 8-block model costs one block's walk.
 *
 * Never throws on bad input: every failure becomes a Problem.
 */
import { z } from 'zod';
import { allBlocks, findBlock } from '../blocks/catalogue.js';
import { portsOf, type BlockDef, type CompositeBlock, type InferCtx, type PrimitiveBlock } from '../blocks/types.js';
import { canonicalJson } from '../canonical-json.js';
import { decorateNodePath, locatedIssues } from '../document/load.js';
import {
  DEFAULT_IN_PORT,
  DEFAULT_OUT_PORT,
  type CompositeDef,
  type GraphBody,
  type GraphDocument,
} from '../document/schema.js';
import { issueText } from '../issue-text.js';
import { finding, RuleError, type FindingCode, type Problem } from '../problems.js';
import { formatShape, type TensorType, type ValueKind } from '../tensor.js';
import { findCycle, topoSort } from './topo.js';
import { countsText, deployedView, type FoldedChain } from './linear-chains.js';
import { checkLimits, DEFAULT_LIMITS, type Limits } from '../limits/limits.js';

export interface NodeInfo {
  readonly id: string;
  /** Index in the body's `nodes` array. */
  readonly index: number;
  readonly block: BlockDef;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, TensorType>>;
  readonly outputs: Readonly<Record<string, TensorType>>;
  /** Learnable parameters, including everything inside a composite. */
  readonly paramCount: number;
  /** ANN-equivalent multiply-accumulates per sample over all T, including a composite's inside. */
  readonly macs: number;
  /** Of `macs`, those whose synaptic input is binary spikes (these become ACs, scaled by firing rate). */
  readonly spikeMacs: number;
  /** For a primitive synaptic layer: the kind of value it receives. */
  readonly synapticKind?: ValueKind;
  readonly inner?: BodyInfo;
  /** Warnings and design facts about this node itself (a composite's inside reports its own). */
  readonly findings: readonly NodeFinding[];
}

export interface NodeFinding {
  readonly code: FindingCode;
  readonly message: string;
}

export interface EdgeInfo {
  readonly index: number;
  readonly type?: TensorType;
}

export interface BodyInfo {
  /** The nodes and edges analysed (a composite's expansion, or the document's own). */
  readonly source: GraphBody;
  /** Analysed nodes in topological order (nodes that could not be analysed are absent). */
  readonly nodes: readonly NodeInfo[];
  readonly byId: ReadonlyMap<string, NodeInfo>;
  readonly edges: readonly EdgeInfo[];
  /** Types at the body's `output` nodes, by port name. */
  readonly outputs: Readonly<Record<string, TensorType>>;
  readonly paramCount: number;
  readonly macs: number;
  readonly spikeMacs: number;
}

export interface GraphAnalysis {
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  readonly body: BodyInfo;
  readonly paramCount: number;
  /** MACs per sample over all T as built (the training graph, layer by layer). */
  readonly macs: number;
  /** MACs of the deployed model: each linear chain fed by spikes folded into one conv (`linear-chains.ts`). */
  readonly foldedMacs: number;
  /** Of `foldedMacs`, those whose synaptic input is binary spikes. */
  readonly spikeMacs: number;
  /** The chains of two or more convs that fold into one conv on spikes. */
  readonly foldedChains: readonly FoldedChain[];
  /** The model output (the `output` node's input). */
  readonly output?: TensorType;
}

/** Memo of composite insides; keep one per open document to make re-analysis after an edit cheap. */
export interface InferCache {
  readonly bodies: Map<string, CompositeAnalysis>;
  readonly expansions: Map<string, GraphBody>;
}

export function createInferCache(): InferCache {
  return { bodies: new Map(), expansions: new Map() };
}

interface CompositeAnalysis {
  readonly info: BodyInfo;
  readonly problems: readonly Problem[];
  readonly direct: Readonly<Record<string, boolean>>;
}

/** What a body's `input` nodes read: the document input, or the ports of a composite instance. */
type Bindings =
  | { readonly kind: 'document' }
  | { readonly kind: 'ports'; readonly types: Readonly<Record<string, TensorType>>; readonly direct: Readonly<Record<string, boolean>> };

interface Env {
  readonly ctx: InferCtx;
  readonly composites: Readonly<Record<string, CompositeDef>>;
  readonly cache: InferCache;
  /** Composite names being expanded (recursion guard). */
  readonly stack: readonly string[];
  /**
   * Fingerprint of the document's own composites: their analyses depend on every local definition
   * (one may use another), so a cache entry is valid only for the same set of definitions.
   */
  readonly localsKey: string;
}

export function analyseDocument(doc: GraphDocument, cache: InferCache = createInferCache(), limits: Limits = DEFAULT_LIMITS): GraphAnalysis {
  const composites = doc.composites ?? {};
  const env: Env = { ctx: { timeSteps: doc.timeSteps, input: doc.input }, composites, cache, stack: [], localsKey: fingerprint(canonicalJson(composites)) };
  const problems: Problem[] = [];
  const { info } = analyseBody(doc, { kind: 'document' }, env, problems);
  checkDocumentPorts(doc, problems);
  // what compile will build, measured before it is built (a valid document must compile)
  if (!problems.some((p) => p.severity === 'error')) problems.push(...checkLimits(info, doc.timeSteps, info.paramCount, limits));
  const outNode = info.nodes.find((n) => n.block.id === 'output');
  const ok = !problems.some((p) => p.severity === 'error');
  // the findings and spike-driven MACs describe the deployed model, where linear chains are folded
  const deployed = ok ? deployedView(info, doc.timeSteps, problems, info) : undefined;
  return {
    ok,
    problems: deployed?.problems ?? problems,
    body: info,
    paramCount: info.paramCount,
    macs: info.macs,
    foldedMacs: deployed?.macs ?? info.macs,
    spikeMacs: deployed?.spikeMacs ?? info.spikeMacs,
    foldedChains: deployed?.chains ?? [],
    ...(outNode?.inputs[DEFAULT_IN_PORT] ? { output: outNode.inputs[DEFAULT_IN_PORT] } : {}),
  };
}

/** Resolves a block name: the catalogue first, then the document's own composites. */
export function resolveBlock(name: string, composites: Readonly<Record<string, CompositeDef>>): BlockDef | undefined {
  // own keys only: a block named "constructor" or "toString" must not find Object.prototype's
  const local = Object.hasOwn(composites, name) ? composites[name] : undefined;
  if (local) return localCompositeBlock(name, local);
  return findBlock(name);
}

export function compositePorts(body: GraphBody, direction: 'input' | 'output'): string[] {
  return body.nodes
    .filter((n) => n.block === direction)
    .map((n) => String((n.params as { name?: unknown } | undefined)?.name ?? (direction === 'input' ? 'x' : 'y')));
}

const localBlockCache = new WeakMap<CompositeDef, CompositeBlock>();

function localCompositeBlock(name: string, def: CompositeDef): CompositeBlock {
  const hit = localBlockCache.get(def);
  if (hit) return hit;
  const block: CompositeBlock<Record<string, never>> = {
    kind: 'composite',
    id: name,
    label: def.label ?? name,
    category: 'layers',
    description: def.description ?? 'A composite block defined in this document.',
    params: z.strictObject({}),
    inputs: compositePorts(def, 'input').map((n) => ({ name: n })),
    outputs: compositePorts(def, 'output').map((n) => ({ name: n })),
    expand: () => def,
  };
  localBlockCache.set(def, block);
  return block;
}

function checkDocumentPorts(doc: GraphDocument, problems: Problem[]): void {
  const inputs = doc.nodes.filter((n) => n.block === 'input').length;
  const outputs = doc.nodes.filter((n) => n.block === 'output').length;
  if (inputs !== 1) problems.push({ severity: 'error', path: 'nodes', message: `the graph needs exactly one "input" node, found ${inputs}` });
  if (outputs !== 1) problems.push({ severity: 'error', path: 'nodes', message: `the graph needs exactly one "output" node, found ${outputs}` });
}

/**
 * One body's analysis, in four stages: resolve (ids, blocks, parameters), bind (edges to ports),
 * order (topological, cycles reported) and walk (each node's types and costs, in order). Each stage
 * reports what it finds wrong and leaves out what it cannot use, so the later stages see only
 * nodes and edges that make sense and nothing is reported twice.
 */
function analyseBody(body: GraphBody, bindings: Bindings, env: Env, problems: Problem[]): { info: BodyInfo; direct: Record<string, boolean> } {
  const report: Report = (path, message, where = {}) => {
    const { nodeId, edgeIndex, port } = where;
    problems.push({
      severity: 'error',
      path: nodeId === undefined ? path : decorateNodePath(path, nodeId),
      message,
      ...(nodeId === undefined ? {} : { nodeId }),
      ...(edgeIndex === undefined ? {} : { edgeIndex }),
      ...(port === undefined ? {} : { port }),
    });
  };
  const nodes = resolveNodes(body, env, report);
  const wiring = bindEdges(body, nodes, report);
  const order = orderNodes(body, wiring.links, report);
  return walkBody(body, nodes, wiring, order, { bindings, env, problems, report });
}

/** An error at `path` in the body being analysed, on a node, an edge, or a node's input port. */
type Report = (path: string, message: string, where?: { nodeId?: string; edgeIndex?: number; port?: string }) => void;

interface ResolvedNode {
  readonly block: BlockDef;
  readonly params: Record<string, unknown>;
}

interface ResolvedNodes {
  /** Each id's first node (a duplicate id is reported and its node left out). */
  readonly indexById: ReadonlyMap<string, number>;
  /** By node index: the block and parsed parameters, or undefined where either failed. */
  readonly resolved: readonly (ResolvedNode | undefined)[];
}

interface EdgeEnds {
  readonly s: number;
  readonly sp: string;
  readonly t: number;
  readonly tp: string;
}

interface Wiring {
  /** `${targetIndex}:${port}` → edge index. */
  readonly incoming: ReadonlyMap<string, number>;
  /** [source, target] node indices of every valid edge. */
  readonly links: readonly [number, number][];
  /** By edge index: its ends, or undefined for an edge that was reported. */
  readonly edgeEnds: readonly (EdgeEnds | undefined)[];
}

/** Stage 1: ids, blocks and parameters. */
function resolveNodes(body: GraphBody, env: Env, report: Report): ResolvedNodes {
  const indexById = new Map<string, number>();
  body.nodes.forEach((n, i) => {
    if (indexById.has(n.id)) report(`nodes[${i}].id`, `duplicate node id "${n.id}" (also nodes[${indexById.get(n.id)}])`, { nodeId: n.id });
    else indexById.set(n.id, i);
  });
  const resolved = body.nodes.map((n, i): ResolvedNode | undefined => {
    const block = resolveBlock(n.block, env.composites);
    if (!block) {
      report(`nodes[${i}].block`, `unknown block "${n.block}"${suggestBlock(n.block)}`, { nodeId: n.id });
      return undefined;
    }
    const parsed = block.params.safeParse(n.params ?? {});
    if (!parsed.success) {
      // an unknown key is located at the key itself; every other issue reads as a sentence
      const issues = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? locatedIssues(issue) : [{ path: issue.path, message: issueText(issue) }]));
      for (const issue of issues) {
        const sub = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
        report(`nodes[${i}].params${sub}`, issue.message, { nodeId: n.id });
      }
      return undefined;
    }
    return { block, params: parsed.data as Record<string, unknown> };
  });
  return { indexById, resolved };
}

/** Stage 2: each edge's endpoints and ports. */
function bindEdges(body: GraphBody, { indexById, resolved }: ResolvedNodes, report: Report): Wiring {
  const incoming = new Map<string, number>();
  const links: [number, number][] = [];
  const edgeEnds = body.edges.map((e, k): EdgeEnds | undefined => {
    const s = indexById.get(e.source);
    const t = indexById.get(e.target);
    if (s === undefined) return void report(`edges[${k}].source`, `no node "${e.source}"`, { edgeIndex: k });
    if (t === undefined) return void report(`edges[${k}].target`, `no node "${e.target}"`, { edgeIndex: k });
    const sp = e.sourcePort ?? DEFAULT_OUT_PORT;
    const tp = e.targetPort ?? DEFAULT_IN_PORT;
    const rs = resolved[s];
    const rt = resolved[t];
    if (rs && !portsOf(rs.block.outputs, rs.params).some((p) => p.name === sp)) {
      return void report(`edges[${k}].sourcePort`, `node "${e.source}" (${rs.block.id}) has no output port "${sp}"${portList(rs.block.outputs, rs.params)}`, { edgeIndex: k });
    }
    if (rt && !portsOf(rt.block.inputs, rt.params).some((p) => p.name === tp)) {
      return void report(`edges[${k}].targetPort`, `node "${e.target}" (${rt.block.id}) has no input port "${tp}"${portList(rt.block.inputs, rt.params)}`, { edgeIndex: k });
    }
    const key = `${t}:${tp}`;
    if (incoming.has(key)) {
      return void report(`edges[${k}]`, `input port "${tp}" of "${e.target}" is already connected (edges[${incoming.get(key)}])`, { edgeIndex: k });
    }
    if (s === t) return void report(`edges[${k}]`, `node "${e.source}" is connected to itself`, { edgeIndex: k });
    incoming.set(key, k);
    links.push([s, t]);
    return { s, sp, t, tp };
  });
  return { incoming, links, edgeEnds };
}

/** Stage 3: a topological order of the nodes; each cycle is reported once, naming its nodes. */
function orderNodes(body: GraphBody, links: readonly [number, number][], report: Report): readonly number[] {
  const { order, cyclic } = topoSort(body.nodes.length, links);
  if (cyclic.length === 0) return order;
  const cyc = new Set(cyclic);
  const reported = new Set<number>();
  for (const start of cyclic) {
    if (reported.has(start)) continue;
    const loop = findCycle(start, links, cyc);
    if (loop.length < 2) continue;
    loop.forEach((i) => reported.add(i));
    const names = loop.map((i) => `"${body.nodes[i]!.id}"`).join(' → ');
    report(`nodes[${loop[0]}]`, `cycle: ${names}; spiking state flows through time inside neurons, not through graph cycles`, { nodeId: body.nodes[loop[0]!]!.id });
  }
  return order;
}

interface WalkEnv {
  readonly bindings: Bindings;
  readonly env: Env;
  readonly problems: Problem[];
  readonly report: Report;
}

/** Stage 4: each node in order, from the types on its input ports; a node whose input failed is skipped. */
function walkBody(body: GraphBody, nodes: ResolvedNodes, wiring: Wiring, order: readonly number[], w: WalkEnv): { info: BodyInfo; direct: Record<string, boolean> } {
  const { incoming, edgeEnds } = wiring;
  const infos = new Map<string, NodeInfo>();
  const direct = new Map<string, boolean>(); // `${nodeId}:${port}` → value derives from the encoded input without a synapse
  const portOutputs: Record<string, TensorType> = {};
  const portDirect: Record<string, boolean> = {};
  const ordered: NodeInfo[] = [];
  let paramCount = 0;
  let macs = 0;
  let spikeMacs = 0;

  for (const i of order) {
    const node = body.nodes[i]!;
    const r = nodes.resolved[i];
    if (!r || nodes.indexById.get(node.id) !== i) continue;
    const inPorts = portsOf(r.block.inputs, r.params);
    const inputs: Record<string, TensorType> = {};
    let inputsDirect = false;
    let missing = false;
    for (const port of inPorts) {
      const k = incoming.get(`${i}:${port.name}`);
      if (k === undefined) {
        w.report(`nodes[${i}]`, `input port "${port.name}" is not connected`, { nodeId: node.id });
        missing = true;
        continue;
      }
      const ends = edgeEnds[k]!;
      const src = infos.get(body.nodes[ends.s]!.id);
      const t = src?.outputs[ends.sp];
      if (!t) {
        missing = true; // the source failed; its own error says why
        continue;
      }
      inputs[port.name] = t;
      if (direct.get(`${body.nodes[ends.s]!.id}:${ends.sp}`)) inputsDirect = true;
    }
    if (missing) continue;

    const at = { id: node.id, index: i, block: r.block, params: r.params, inputs };
    let res: { info: NodeInfo; outDirect: Record<string, boolean> } | undefined;
    try {
      if (r.block.id === 'input' || r.block.id === 'output') {
        const io = ioNode(r.block.id, String(r.params.name), inputs, w.bindings, w.env.ctx);
        if (r.block.id === 'output') {
          portOutputs[String(r.params.name)] = inputs[DEFAULT_IN_PORT]!;
          portDirect[String(r.params.name)] = inputsDirect;
        }
        res = { info: nodeInfo({ ...at, outputs: io.outputs }), outDirect: { [DEFAULT_OUT_PORT]: io.direct } };
      } else if (r.block.kind === 'primitive') {
        res = primitiveNode(at, r.block, inputsDirect, w.env.ctx);
      } else {
        const inner = analyseComposite(r.block, r.params, inputs, inputsDirectByPort(inPorts, i, incoming, edgeEnds, body, direct), w.env);
        for (const p of inner.problems) w.problems.push(liftProblem(p, decorateNodePath(`nodes[${i}]`, node.id), node.id));
        if (!inner.problems.some((p) => p.severity === 'error')) {
          const { outputs, paramCount, macs, spikeMacs } = inner.info;
          res = { info: nodeInfo({ ...at, outputs, paramCount, macs, spikeMacs, inner: inner.info }), outDirect: { ...inner.direct } };
        }
      }
    } catch (e) {
      reportThrown(e, i, node.id, r.block.id, incoming, w.report);
      continue;
    }
    if (!res) continue;
    const { info, outDirect } = res;
    for (const f of info.findings) w.problems.push(finding(f.code, { path: decorateNodePath(`nodes[${i}]`, node.id), nodeId: node.id, message: f.message }));
    infos.set(node.id, info);
    for (const [p, d] of Object.entries(outDirect)) direct.set(`${node.id}:${p}`, d);
    ordered.push(info);
    paramCount += info.paramCount;
    macs += info.macs;
    spikeMacs += info.spikeMacs;
  }

  const edges: EdgeInfo[] = body.edges.map((_, k) => {
    const ends = edgeEnds[k];
    const t = ends ? infos.get(body.nodes[ends.s]!.id)?.outputs[ends.sp] : undefined;
    return t ? { index: k, type: t } : { index: k };
  });

  return {
    info: { source: body, nodes: ordered, byId: infos, edges, outputs: portOutputs, paramCount, macs, spikeMacs },
    direct: portDirect,
  };
}

/** A primitive's types, costs and findings from its rule; which outputs still derive from the encoded input. */
function primitiveNode(
  at: NodeFacts,
  block: PrimitiveBlock,
  inputsDirect: boolean,
  ctx: InferCtx,
): { info: NodeInfo; outDirect: Record<string, boolean> } {
  const res = block.infer(at.inputs, at.params, ctx);
  const syn = res.synapticInput === undefined ? undefined : at.inputs[res.synapticInput]?.kind;
  const findings: NodeFinding[] = (res.warnings ?? []).map((message) => ({ code: 'block-check', message }));
  if (syn !== undefined && syn !== 'spikes' && !(inputsDirect && syn === 'analog') && block.category !== 'heads' && block.category !== 'ann') {
    findings.push(synapticFinding(syn));
  }
  const m = res.macs ?? 0;
  const info = nodeInfo({ ...at, outputs: res.outputs, paramCount: res.params ?? 0, macs: m, spikeMacs: syn === 'spikes' ? m : 0, synapticKind: syn, findings });
  const isSynapse = res.synapticInput !== undefined;
  const outDirect = Object.fromEntries(Object.keys(res.outputs).map((p) => [p, block.category === 'encoders' || (!isSynapse && inputsDirect)]));
  return { info, outDirect };
}

/** A block rule's failure, located at the parameter or port it names; anything else is an internal error of the block. */
function reportThrown(e: unknown, i: number, nodeId: string, blockId: string, incoming: ReadonlyMap<string, number>, report: Report): void {
  if (e instanceof RuleError) {
    const edgeIndex = e.port === undefined ? undefined : incoming.get(`${i}:${e.port}`);
    const path = e.param !== undefined ? `nodes[${i}].params.${e.param}` : e.port !== undefined ? `nodes[${i}] port ${e.port}` : `nodes[${i}]`;
    report(path, e.message, { nodeId, ...(edgeIndex === undefined ? {} : { edgeIndex }), ...(e.port === undefined ? {} : { port: e.port }) });
  } else {
    report(`nodes[${i}]`, `internal error in block "${blockId}": ${(e as Error)?.message ?? String(e)}`, { nodeId });
  }
}

/** A problem inside composite node `nodeId` (at `path`), as its body reported it, seen from the body holding that node. */
function liftProblem(p: Problem, path: string, nodeId: string): Problem {
  const innerEdgeIndex = p.inner !== undefined && p.inner.length > 0 ? p.innerEdgeIndex : p.edgeIndex;
  return {
    severity: p.severity,
    path,
    nodeId,
    inner: [...(p.nodeId !== undefined ? [p.nodeId] : []), ...(p.inner ?? [])],
    innerPath: [...(p.path === '' ? [] : [p.path]), ...(p.innerPath ?? [])],
    ...(p.port === undefined ? {} : { port: p.port }),
    ...(innerEdgeIndex === undefined ? {} : { innerEdgeIndex }),
    message: p.message,
    ...(p.code === undefined ? {} : { code: p.code }),
  };
}

function inputsDirectByPort(
  ports: readonly { name: string }[],
  i: number,
  incoming: ReadonlyMap<string, number>,
  edgeEnds: readonly ({ s: number; sp: string } | undefined)[],
  body: GraphBody,
  direct: ReadonlyMap<string, boolean>,
): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of ports) {
    const k = incoming.get(`${i}:${p.name}`);
    const ends = k === undefined ? undefined : edgeEnds[k];
    out[p.name] = ends ? direct.get(`${body.nodes[ends.s]!.id}:${ends.sp}`) === true : false;
  }
  return out;
}

/** Real models nest a few levels; a limit keeps a pathological chain from exhausting the stack. */
const MAX_COMPOSITE_DEPTH = 32;

function analyseComposite(
  block: CompositeBlock,
  params: Record<string, unknown>,
  inputs: Record<string, TensorType>,
  direct: Record<string, boolean>,
  env: Env,
): CompositeAnalysis {
  const local = env.composites[block.id] !== undefined && findBlock(block.id) !== block;
  const scope = local ? `local:${env.localsKey}:` : '';
  const key = `${scope}${block.id}\u0000${canonicalJson(params)}\u0000${canonicalJson(inputs)}\u0000${canonicalJson(direct)}`;
  const hit = env.cache.bodies.get(key);
  if (hit) return hit;
  if (env.stack.includes(block.id)) {
    throw new RuleError(`composite "${block.id}" contains itself (${[...env.stack, block.id].join(' → ')})`);
  }
  if (env.stack.length >= MAX_COMPOSITE_DEPTH) throw new RuleError(`composites are nested more than ${MAX_COMPOSITE_DEPTH} deep here`);
  const expKey = `${scope}${block.id}\u0000${canonicalJson(params)}`;
  let body = env.cache.expansions.get(expKey);
  if (!body) {
    body = block.expand(params);
    env.cache.expansions.set(expKey, body);
  }
  const problems: Problem[] = [];
  // a catalogue block's inside names catalogue blocks only: a document composite that happens to
  // share a name (say "lif") must not replace the catalogue's own parts
  const innerEnv: Env = local ? { ...env, stack: [...env.stack, block.id] } : { ...env, composites: {}, localsKey: '', stack: [...env.stack, block.id] };
  const res = analyseBody(body, { kind: 'ports', types: inputs, direct }, innerEnv, problems);
  const outPorts = compositePorts(body, 'output');
  for (const p of outPorts) {
    if (!res.info.outputs[p] && !problems.some((q) => q.severity === 'error')) {
      problems.push({ severity: 'error', path: '', message: `output "${p}" of composite "${block.id}" is not produced` });
    }
  }
  const result: CompositeAnalysis = { info: res.info, problems, direct: res.direct };
  env.cache.bodies.set(key, result);
  return result;
}

function ioNode(
  which: 'input' | 'output',
  name: string,
  inputs: Record<string, TensorType>,
  bindings: Bindings,
  ctx: InferCtx,
): { outputs: Record<string, TensorType>; direct: boolean } {
  if (which === 'output') return { outputs: {}, direct: false };
  if (bindings.kind === 'document') {
    const events = ctx.input.kind === 'events';
    // events arrive already framed over T; images and vectors are per-sample, before the encoder
    return { outputs: { [DEFAULT_OUT_PORT]: { shape: ctx.input.shape, timed: events, kind: events ? 'counts' : 'analog' } }, direct: true };
  }
  const t = bindings.types[name];
  if (!t) throw new RuleError(`no input port "${name}" is bound`);
  return { outputs: { [DEFAULT_OUT_PORT]: t }, direct: bindings.direct[name] === true };
}

/** What the walk knows of a node before its rule runs. */
interface NodeFacts {
  readonly id: string;
  readonly index: number;
  readonly block: BlockDef;
  readonly params: Record<string, unknown>;
  readonly inputs: Record<string, TensorType>;
}

/** A node's analysis: no parameters, MACs or findings unless given. */
function nodeInfo(n: NodeFacts & {
  readonly outputs: Readonly<Record<string, TensorType>>;
  readonly paramCount?: number;
  readonly macs?: number;
  readonly spikeMacs?: number;
  readonly synapticKind?: ValueKind | undefined;
  readonly inner?: BodyInfo;
  readonly findings?: NodeFinding[];
}): NodeInfo {
  return {
    id: n.id,
    index: n.index,
    block: n.block,
    params: n.params,
    inputs: n.inputs,
    outputs: n.outputs,
    paramCount: n.paramCount ?? 0,
    macs: n.macs ?? 0,
    spikeMacs: n.spikeMacs ?? 0,
    ...(n.synapticKind === undefined ? {} : { synapticKind: n.synapticKind }),
    ...(n.inner === undefined ? {} : { inner: n.inner }),
    findings: n.findings ?? [],
  };
}

/**
 * A synaptic layer that does not read binary spikes multiplies instead of accumulating. Reading
 * spike counts is how spike-add residuals were published (Spikformer, SEW ResNet); reading analog
 * values or membrane potentials is a layer outside the spike-driven part of the network.
 */
function synapticFinding(kind: ValueKind): NodeFinding {
  if (kind === 'counts') return { code: 'macs-on-counts', message: countsText(undefined) };
  return { code: 'not-spike-driven', message: `reads ${kind === 'membrane' ? 'membrane potentials' : 'analog values'}, not binary spikes: it multiplies (MACs) and is not spike-driven here` };
}

function portList(ports: BlockDef['inputs'], params: Record<string, unknown>): string {
  const names = portsOf(ports, params).map((p) => `"${p.name}"`);
  return names.length === 0 ? ' (it has none)' : ` (ports: ${names.join(', ')})`;
}

function suggestBlock(name: string): string {
  const lower = name.toLowerCase();
  const close = allBlocks()
    .map((b) => b.id)
    .filter((id) => id.includes(lower) || lower.includes(id) || editDistance(id, lower) <= 2)
    .slice(0, 3);
  return close.length > 0 ? `; did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** FNV-1a of a string, as a short cache-key component. */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${h.toString(16)}:${s.length}`;
}

/** For messages: `[T,B,64,8,8] spikes`. */
export function describeType(t: TensorType, timeSteps?: number): string {
  return `${formatShape(t, timeSteps)} ${t.kind}`;
}
