/**
 * Fuzzing the document path: 10,000 mutated documents per run from a few valid seeds (lif-cnn, a
 * document with its own composites, a version-0 document, every gallery template's default and
 * tiny presets) and from generated hostile families: doubling composites (each level using the one
 * below twice, up to 2^30 copies), giant and zero input dimensions, 1 MB strings. Mutations: field
 * deletions, type swaps, extra nodes with random blocks and parameters, random edges and ports,
 * huge/negative/non-finite numbers, NaN-ish strings, prototype-ish names ("constructor",
 * "__proto__"), deep nesting.
 *
 * Every document must either validate or yield located errors — each problem a short message and
 * a path that points into the document — and nothing may throw: not parsing, not analysis, and not
 * building a document the analysis accepted (a valid document compiles; the limits make sure it
 * can). Every valid document is lowered to IR; a seeded quarter of them (COMPILE_SHARE) is compiled
 * all the way to ONNX bytes, which costs 10–500 ms each. The fuzz runs under smaller limits than
 * the defaults (FUZZ_LIMITS) so that what validates compiles in well under a second. Seeded with the
 * project Rng, so a failure names the iteration that reproduces it; FUZZ_TRACE names a file that
 * always holds the document being tried, to find one that hangs.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allBlocks } from '../../engine/core/blocks/catalogue.js';
import { parseDocument } from '../../engine/core/document/load.js';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument, createInferCache } from '../../engine/core/graph/infer.js';
import { lowerDocument } from '../../engine/core/lower/lower.js';
import { DEFAULT_LIMITS, type Limits } from '../../engine/core/limits/limits.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { doublingDocument, wideInputDocument } from '../hardening/bomb-docs.js';
import { peakRssMb } from '../../bench/memory.js';
import type { Problem } from '../../engine/core/problems.js';
import { Rng } from '../../engine/core/rng.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { templateSeeds, type SeedDoc } from './helpers/templates.js';
import { convBnLifComposite } from './helpers/docs.js';

// FUZZ_ITERATIONS / FUZZ_SEED run a longer or different hunt locally
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const MAX_IR_VALUES = 2_000_000;
/** Of the valid documents, the share compiled to ONNX bytes (the rest are lowered to IR only). */
const COMPILE_SHARE = Number(process.env.FUZZ_COMPILE_SHARE ?? 0.25);
/** A problem's message and path quote at most a short prefix of what the document holds. */
const MAX_MESSAGE = 1000;
/** Small enough that whatever validates compiles fast, large enough that the tiny templates validate. */
const FUZZ_LIMITS: Limits = { nodes: 4000, tensorElements: 2 ** 20, parameters: 1_000_000, activationBytes: 64 * 1024 ** 2 };

type Json = any;

function deep(levels: number): Json {
  let v: Json = { leaf: 1 };
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { a: v } : [v];
  return v;
}

const WEIRD_NUMBERS = [0, -1, 1, 2, 3, 2.5, -2.5, 7, 1e9, -1e9, 1e15, 1e308, -1e308, 2 ** 31, 2 ** 53, Number.MIN_VALUE, NaN, Infinity, -Infinity];
const WEIRD_STRINGS = ['', 'NaN', 'Infinity', '-1', '1e309', '0x10', 'in', 'out', 'a', 'b', 'x', 'y', 'lif', 'conv2d', 'x'.repeat(300), 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'nodes[0]', 'a.b:c'];
const PORTS = ['in', 'out', 'a', 'b', 'x', 'y', 'q', 'k', 'v', 'constructor', '__proto__', ''];

function weird(rng: Rng): Json {
  switch (rng.int(8)) {
    case 0:
      return pick(rng, WEIRD_NUMBERS);
    case 1:
      return pick(rng, WEIRD_STRINGS);
    case 2:
      return pick(rng, [null, true, false, undefined]);
    case 3:
      return pick(rng, [[], [1], [0, 0], [-1, 3], [1, 2, 3, 4, 5], ['a'], [null]]);
    case 4:
      return pick(rng, [{}, { a: 1 }, { name: 'sigmoid' }, { x: 1, y: 2 }]);
    case 5:
      return deep(rng.uniform() < 0.2 ? 20000 : 20 + rng.int(200));
    case 6:
      return JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 2}');
    default:
      return rng.normal() * 10 ** rng.int(6);
  }
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

/** Every path (list of keys) into the value, up to a depth. */
function paths(v: Json, depth = 6, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (depth === 0 || v === null || typeof v !== 'object') return out;
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  for (const k of keys) {
    const p = [...at, k];
    out.push(p);
    paths(v[k], depth - 1, p, out);
  }
  return out;
}

function parentOf(root: Json, path: (string | number)[]): Json {
  let v = root;
  for (const k of path.slice(0, -1)) v = v?.[k];
  return v;
}

const BLOCK_IDS = allBlocks().map((b) => b.id);
const BLOCK_NAMES = [...BLOCK_IDS, 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'LIF', 'conv', ''];
const PARAM_KEYS = ['outChannels', 'outFeatures', 'kernel', 'stride', 'padding', 'groups', 'tau', 'threshold', 'vReset', 'heads', 'dim', 'order', 'lambda', 'classes', 'shape', 'height', 'width', 'mode', 'p', 'name', 'surrogate', 'initTau', 'bias', 'eps', 'scale', 'layers', 'ratio', 'decayInput', 'binarize'];

/** The parameter names a block's schema declares (its zod object shape). */
function paramKeysOf(block: string): string[] {
  const def = allBlocks().find((b) => b.id === block);
  const shape = (def?.params as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** A value a user might plausibly type: small integers, pairs, flags, thresholds. */
function plausible(rng: Rng): Json {
  if (rng.uniform() < 0.1) return pick(rng, [1e5, 1e7, 2 ** 31, 1e12]); // valid but huge
  return pick(rng, [1, 2, 3, 4, 8, 16, 0, 0.5, 1.5, 2, true, false, null, [3, 3], [1, 2], 'add', 'and', 'sigmoid', { name: 'atan', alpha: 2 }]);
}

/** One random mutation, described for the failure report. */
function mutate(doc: Json, rng: Rng): string {
  const nodes: Json[] = Array.isArray(doc.nodes) ? doc.nodes : [];
  const ids = (): string[] => nodes.map((n) => n?.id).filter((s) => typeof s === 'string');
  // half of the mutations are ones an editing user makes, so that many documents stay valid and
  // reach the lowering; the other half are hostile
  if (rng.uniform() < 0.6) return edit(doc, nodes, rng);
  switch (rng.int(11)) {
    case 0: {
      const all = paths(doc);
      if (all.length === 0) return 'noop';
      const p = pick(rng, all);
      const parent = parentOf(doc, p);
      const k = p[p.length - 1]!;
      if (Array.isArray(parent)) parent.splice(k as number, 1);
      else delete parent[k];
      return `delete ${p.join('.')}`;
    }
    case 1: {
      const all = paths(doc);
      if (all.length === 0) return 'noop';
      const p = pick(rng, all);
      const w = weird(rng);
      parentOf(doc, p)[p[p.length - 1]!] = w;
      return `set ${p.join('.')} = ${show(w)}`;
    }
    case 2: {
      const block = pick(rng, BLOCK_NAMES);
      const params: Json = {};
      for (let i = rng.int(4); i > 0; i--) params[pick(rng, PARAM_KEYS)] = rng.uniform() < 0.5 ? weird(rng) : rng.int(64) + 1;
      const id = `fz${rng.int(1000)}`;
      nodes.push({ id, block, params });
      const others = ids();
      for (let i = rng.int(3); i >= 0; i--) {
        const other = pick(rng, others);
        if (rng.uniform() < 0.5) doc.edges?.push?.({ source: other, target: id, targetPort: pick(rng, PORTS) || undefined });
        else doc.edges?.push?.({ source: id, sourcePort: pick(rng, PORTS) || undefined, target: other });
      }
      return `add node ${block} ${show(params)}`;
    }
    case 3: {
      const all = ids();
      const e: Json = { source: pick(rng, [...all, 'ghost']), target: pick(rng, [...all, 'ghost']) };
      if (rng.uniform() < 0.5) e.sourcePort = pick(rng, PORTS);
      if (rng.uniform() < 0.5) e.targetPort = pick(rng, PORTS);
      doc.edges?.push?.(e);
      return `add edge ${show(e)}`;
    }
    case 4: {
      if (nodes.length === 0) return 'noop';
      const n = pick(rng, nodes);
      if (n && typeof n === 'object') n.block = pick(rng, BLOCK_NAMES);
      return `rebind ${n?.id} to ${n?.block}`;
    }
    case 5: {
      if (nodes.length === 0) return 'noop';
      const n = pick(rng, nodes);
      if (!n || typeof n !== 'object') return 'noop';
      n.params = n.params && typeof n.params === 'object' ? n.params : {};
      const key = pick(rng, [...Object.keys(n.params), ...PARAM_KEYS]);
      n.params[key] = pick(rng, [...WEIRD_NUMBERS, ...WEIRD_STRINGS.slice(0, 6), -rng.int(100), rng.int(100000)]);
      return `param ${n.id}.${key} = ${show(n.params[key])}`;
    }
    case 6: {
      if (nodes.length === 0) return 'noop';
      const i = rng.int(nodes.length);
      const n = nodes[i];
      if (rng.uniform() < 0.5) nodes.splice(i, 1);
      else nodes.push(n && typeof n === 'object' ? { ...n } : n); // shallow: params may be nested too deep to clone
      return `${nodes.includes(n) ? 'duplicate' : 'remove'} node ${n?.id}`;
    }
    case 7: {
      if (nodes.length === 0) return 'noop';
      const n = pick(rng, nodes);
      if (n && typeof n === 'object') n.id = pick(rng, [...WEIRD_STRINGS, ...ids()]);
      return `rename to ${show(n?.id)}`;
    }
    case 8: {
      const key = pick(rng, ['timeSteps', 'input.shape', 'input.kind', 'version', 'format']);
      const v = pick(rng, [0, 1, 2, 1024, 1025, -4, 2.5, 1e12, [], [1], [3, 32, 32], [0, 8, 8], [2, 1e6, 1e6], [1, 2, 3, 4, 5], 'events', 'vector', 'image', 0]);
      if (key.startsWith('input.')) {
        if (doc.input && typeof doc.input === 'object') doc.input[key.slice(6)] = v;
      } else doc[key] = v;
      return `${key} = ${show(v)}`;
    }
    case 9: {
      if (nodes.length === 0) return 'noop';
      const n = pick(rng, nodes);
      if (n && typeof n === 'object') n.params = deep(10 + rng.int(500));
      return `deep params on ${n?.id}`;
    }
    default: {
      // composites: add one (maybe self-referencing), or break an existing one
      doc.composites = doc.composites && typeof doc.composites === 'object' ? doc.composites : {};
      const name = pick(rng, ['loop', 'cb', 'constructor', 'toString', ...BLOCK_IDS.slice(0, 5)]);
      const inner = pick(rng, [name, 'lif', 'conv2d', 'loop', 'cb']);
      doc.composites[name] = {
        nodes: [
          { id: 'x', block: 'input' },
          { id: 'n', block: inner, params: rng.uniform() < 0.5 ? {} : { outChannels: rng.int(8) + 1 } },
          { id: 'y', block: 'output' },
        ],
        edges: [
          { source: 'x', target: 'n', ...(rng.uniform() < 0.5 ? { targetPort: 'x' } : {}) },
          { source: 'n', target: 'y', ...(rng.uniform() < 0.5 ? { sourcePort: 'y' } : {}) },
        ],
      };
      const host = nodes.length > 0 ? pick(rng, nodes) : undefined;
      if (host && typeof host === 'object') host.block = name;
      return `composite ${name} containing ${inner}`;
    }
  }
}

/** Inserting a block on an edge, or setting one of a node's declared parameters to a plausible value. */
function edit(doc: Json, nodes: Json[], rng: Rng): string {
  const edges: Json[] = Array.isArray(doc.edges) ? doc.edges : [];
  if (rng.uniform() < 0.5 && edges.length > 0) {
    const k = rng.int(edges.length);
    const e = edges[k];
    if (!e || typeof e !== 'object') return 'noop';
    const block = pick(rng, BLOCK_IDS.filter((b) => b !== 'input' && b !== 'output'));
    const params: Json = {};
    const keys = paramKeysOf(block);
    for (let i = rng.int(3); i > 0 && keys.length > 0; i--) params[pick(rng, keys)] = plausible(rng);
    const id = `ins${rng.int(100000)}`;
    nodes.push({ id, block, params });
    const def = allBlocks().find((b) => b.id === block)!;
    const ins = typeof def.inputs === 'function' ? [] : def.inputs.map((p) => p.name);
    const outs = typeof def.outputs === 'function' ? [] : def.outputs.map((p) => p.name);
    edges.splice(k, 1, ...ins.map((port) => ({ source: e.source, ...(e.sourcePort ? { sourcePort: e.sourcePort } : {}), target: id, ...(port !== 'in' ? { targetPort: port } : {}) })));
    edges.push({ source: id, ...(outs[0] && outs[0] !== 'out' ? { sourcePort: outs[0] } : {}), target: e.target, ...(e.targetPort ? { targetPort: e.targetPort } : {}) });
    return `insert ${block} ${show(params)} on edge ${k}`;
  }
  const n = nodes.length > 0 ? pick(rng, nodes) : undefined;
  if (!n || typeof n !== 'object' || typeof n.block !== 'string') return 'noop';
  const keys = paramKeysOf(n.block);
  if (keys.length === 0) return 'noop';
  const key = pick(rng, keys);
  n.params = { ...(n.params && typeof n.params === 'object' ? n.params : {}), [key]: plausible(rng) };
  return `tweak ${n.id}.${key} = ${show(n.params[key])}`;
}

function show(v: Json): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
  } catch {
    return String(v);
  }
}

/** What is wrong with a problem list, or undefined. `root` is the raw document. */
function checkProblems(problems: readonly Problem[], root: Json): string | undefined {
  for (const p of problems) {
    if (p.severity !== 'error' && p.severity !== 'warning' && p.severity !== 'info') return `bad severity ${show(p.severity)}`;
    if (typeof p.message !== 'string' || p.message.trim() === '') return `empty message at ${show(p.path)}`;
    if (typeof p.path !== 'string') return `no path: ${p.message}`;
    if (p.message.length > MAX_MESSAGE || p.path.length > MAX_MESSAGE) return `a ${p.message.length}-character message at a ${p.path.length}-character path (${p.message.slice(0, 80)}…)`;
    const isObject = typeof root === 'object' && root !== null && !Array.isArray(root);
    if (isObject && p.path === '') return `empty path: ${p.message}`;
    const where = pathTarget(p.path, root);
    if (where) return `${where} (${p.path}: ${p.message})`;
    if (p.edgeIndex !== undefined && !(Array.isArray(root.edges) && p.edgeIndex >= 0 && p.edgeIndex < root.edges.length)) return `edgeIndex ${p.edgeIndex} outside edges`;
  }
  return undefined;
}

/** A path must lead into the document: `nodes[i] "id"…`, `edges[k]…`, a top-level key, `composites.name…`. */
function pathTarget(path: string, root: Json): string | undefined {
  if (path === '') return undefined;
  const m = /^(composites\.[^.[]+\.)?(nodes|edges)\[(\d+)\]( "([^"]*)")?/.exec(path);
  if (m) {
    const body = m[1] ? root.composites?.[m[1].slice('composites.'.length, -1)] : root;
    const list = body?.[m[2]!];
    const i = Number(m[3]);
    if (!Array.isArray(list) || i >= list.length) return `path points past ${m[2]}`;
    if (m[5] !== undefined && list[i]?.id !== m[5]) return `path names node "${m[5]}" but ${m[2]}[${i}] is ${show(list[i]?.id)}`;
    return undefined;
  }
  const top = /^[^.[ ]+/.exec(path)?.[0] ?? '';
  const known = ['format', 'version', 'name', 'description', 'timeSteps', 'input', 'nodes', 'edges', 'composites', 'training', 'meta'];
  if (!known.includes(top) && !(top in root)) return `path starts with unknown key "${top}"`;
  return undefined;
}

function compositeSeed(): GraphDocument {
  const d = lifCnn({ timeSteps: 2, channels: [4, 8] });
  const cbl = convBnLifComposite(8);
  // conv2 → bn2 → lif2 becomes one composite node
  const nodes = d.nodes.filter((n) => !['conv2', 'bn2', 'lif2'].includes(n.id));
  nodes.push({ id: 'stage2', block: 'cbl' });
  const edges = d.edges.filter((e) => ![e.source, e.target].some((id) => ['conv2', 'bn2', 'lif2'].includes(id)));
  edges.push({ source: 'pool1', target: 'stage2', targetPort: 'x' }, { source: 'stage2', sourcePort: 'y', target: 'pool2' });
  return { ...d, name: 'composite seed', nodes, edges, composites: { cbl } };
}

function v0Seed(): Json {
  const d = lifCnn({ timeSteps: 3 }) as Json;
  const { format: _f, version: _v, timeSteps, edges, ...rest } = d;
  return { ...rest, T: timeSteps, edges: edges.map((e: Json) => ({ from: `${e.source}:${e.sourcePort ?? 'out'}`, to: `${e.target}:${e.targetPort ?? 'in'}` })) };
}

/** A generated hostile document: a doubling-composite chain, or a model on a giant or degenerate input. */
function generated(rng: Rng): { name: string; doc: Json } {
  switch (rng.int(4)) {
    case 0:
    case 1: {
      // shallow chains validate and compile; deep ones (up to 2^30 copies) must be refused by the limits
      const levels = rng.uniform() < 0.5 ? rng.int(7) : 7 + rng.int(24);
      const features = pick(rng, [1, 4, 8, 64, 100_000]);
      return { name: `doubling(${levels}, ${features})`, doc: doublingDocument(levels, features) };
    }
    case 2: {
      const shape = pick(rng, [[1, 1048576, 1048576], [3, 224, 224], [1, 1, 1], [2 ** 31], [1e9], [3, 65536, 65536], [1, 28, 28], [8]]);
      return { name: `wide input ${JSON.stringify(shape)}`, doc: wideInputDocument(shape) };
    }
    default: {
      const doc: Json = lifCnn({ timeSteps: 2, channels: [4, 8] });
      const huge = 'x'.repeat(1_000_000);
      const where = rng.int(5);
      if (where === 0) doc.nodes[1].block = huge;
      else if (where === 1) doc.nodes[1].id = huge;
      else if (where === 2) doc.edges[0].target = huge;
      else if (where === 3) doc.nodes[1].params = { ...doc.nodes[1].params, [huge]: 1 };
      else doc.name = huge;
      return { name: `1 MB string at ${['block', 'id', 'edge target', 'param key', 'name'][where]}`, doc };
    }
  }
}

describe('fuzzed documents', () => {
  it(`${ITERATIONS} mutated and generated documents validate or yield located errors, nothing throws, and what validates compiles`, () => {
    const seeds: SeedDoc[] = [
      { name: 'lif-cnn', doc: lifCnn() },
      { name: 'composite', doc: compositeSeed() },
      { name: 'v0', doc: v0Seed() },
    ];
    for (const s of seeds) {
      const r = parseDocument(structuredClone(s.doc));
      expect(r.ok && analyseDocument(r.doc).ok, `seed ${s.name} is valid`).toBe(true);
    }
    // every template's default preset and its tiny one (the other presets differ only in sizes);
    // a template that does not build or analyse (under the default limits) fails this test
    const templates = templateSeeds((_t, preset, i) => i === 0 || preset === 'tiny');
    expect(templates.failed, 'templates that do not build').toEqual([]);
    const invalid = templates.seeds.filter((s) => {
      const r = parseDocument(structuredClone(s.doc));
      return !(r.ok && analyseDocument(r.doc).ok);
    });
    expect(invalid.map((s) => s.name), 'template seeds that do not analyse').toEqual([]);
    seeds.push(...templates.seeds);

    const rng = Rng.fromSeed(SEED);
    const failures: string[] = [];
    const outcome = { valid: 0, rejectedBySchema: 0, rejectedByAnalysis: 0, refusedByLimits: 0, lowered: 0, compiled: 0, generated: 0 };
    const cache = createInferCache();
    let slowest = { ms: 0, where: '' };
    for (let it = 0; it < ITERATIONS && failures.length < 10; it++) {
      const started = performance.now();
      // one in ten documents comes from a hostile family, the rest from the seeds in turn
      const fromFamily = rng.uniform() < 0.1;
      const source = fromFamily ? generated(rng) : seeds[it % seeds.length]!;
      if (fromFamily) outcome.generated++;
      const doc: Json = structuredClone(source.doc);
      const steps: string[] = [];
      // a generated document is also tried as it is; a seed is valid as it is, so it is always changed
      for (let k = (fromFamily ? 0 : 1) + rng.int(3); k > 0; k--) steps.push(mutate(doc, rng));
      const where = `#${it} ${source.name}: ${steps.join('; ') || 'as generated'}`;
      if (process.env.FUZZ_TRACE) writeFileSync(process.env.FUZZ_TRACE, where);
      try {
        const parsed = parseDocument(doc);
        if (!parsed.ok) {
          outcome.rejectedBySchema++;
          const bad = parsed.problems.length === 0 ? 'rejected without problems' : checkProblems(parsed.problems, doc);
          if (bad) failures.push(`${where} → ${bad}`);
          continue;
        }
        // a shared cache mostly, as the editor keeps one per document across edits
        const analysis = analyseDocument(parsed.doc, rng.uniform() < 0.75 ? cache : createInferCache(), FUZZ_LIMITS);
        const bad = checkProblems(analysis.problems, parsed.doc);
        if (bad) failures.push(`${where} → ${bad}`);
        if (analysis.ok !== !analysis.problems.some((p) => p.severity === 'error')) failures.push(`${where} → ok disagrees with the problems`);
        if (!analysis.ok) {
          outcome.rejectedByAnalysis++;
          if (analysis.problems.some((p) => /\(limit "\w+"\)$/.test(p.message))) outcome.refusedByLimits++;
          continue;
        }
        outcome.valid++;
        const lowered = lowerDocument(parsed.doc, analysis, { batch: 1, mode: 'infer' });
        if (lowered.graph.values.length > MAX_IR_VALUES) failures.push(`${where} → ${lowered.graph.values.length} IR values`);
        outcome.lowered++;
        if (rng.uniform() < COMPILE_SHARE) {
          const compiled = compileInference(parsed.doc, { limits: FUZZ_LIMITS });
          if (compiled.bytes.length === 0) failures.push(`${where} → compiled to no bytes`);
          outcome.compiled++;
        }
      } catch (e) {
        failures.push(`${where} → threw ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}`);
      } finally {
        const ms = performance.now() - started;
        if (ms > slowest.ms) slowest = { ms, where };
      }
    }
    // speed belongs in the bench; the slowest document is printed so that a creeping one shows
    console.log(`[fuzz] ${ITERATIONS} documents from ${seeds.length} seeds and the generated families: ${JSON.stringify(outcome)}; slowest ${slowest.ms.toFixed(0)} ms (${slowest.where.slice(0, 160)}); test process peak ${peakRssMb().toFixed(0)} MB`);
    expect(failures).toEqual([]);
    // the mutations must reach every stage, or the fuzzer tests nothing
    expect(outcome.rejectedBySchema).toBeGreaterThan(ITERATIONS / 20);
    expect(outcome.rejectedByAnalysis).toBeGreaterThan(ITERATIONS / 20);
    expect(outcome.refusedByLimits).toBeGreaterThan(ITERATIONS / 100);
    expect(outcome.lowered).toBeGreaterThan(ITERATIONS / 50);
    expect(outcome.compiled).toBeGreaterThan(ITERATIONS / 200);
  }, 600_000);

  it('the doubling-composite bomb and a giant input are refused under the default limits, with the place and the limit', () => {
    const bomb = analyseDocument(doublingDocument(24));
    expect(bomb.ok).toBe(false);
    expect(bomb.problems[0]).toMatchObject({ path: 'nodes[2] "blockA"', nodeId: 'blockA' });
    expect(bomb.problems[0]!.message).toBe(`expands to 50,331,648 primitive nodes (a neuron once per time step); the limit is ${DEFAULT_LIMITS.nodes.toLocaleString('en-US')} (limit "nodes")`);
    const wide = analyseDocument(wideInputDocument([1, 1048576, 1048576]));
    expect(wide.ok).toBe(false);
    expect(wide.problems.map((p) => p.message).join('\n')).toMatch(/the limit for one tensor is 268,435,456 \(2\^28\) \(limit "tensorElements"\)/);
    // raised limits let the same document through, and then it compiles
    const d = doublingDocument(8);
    expect(analyseDocument(d, createInferCache(), { ...DEFAULT_LIMITS, nodes: 100 }).ok).toBe(false);
    expect(compileInference(d, { limits: { ...DEFAULT_LIMITS, nodes: 100_000 } }).bytes.length).toBeGreaterThan(0);
  });
});
