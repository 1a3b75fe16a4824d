/**
 * Loading documents: the schema (strict everywhere, located errors), the version-0 migration, and
 * JSON text errors. Shape and graph problems are in infer.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument, parseDocumentText, type ParseResult } from '../../engine/core/document/load.js';
import { migrate } from '../../engine/core/document/migrate.js';
import { DOCUMENT_FORMAT, DOCUMENT_VERSION, type GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { formatProblem, type Problem } from '../../engine/core/problems.js';
import { lifCnn } from '../../templates/lif-cnn.js';

const clone = (): Record<string, any> => structuredClone(lifCnn()) as Record<string, any>;

function problemsOf(r: ParseResult): Problem[] {
  if (r.ok) throw new Error('expected the document to be rejected');
  return r.problems;
}

function formatted(raw: unknown): string[] {
  return problemsOf(parseDocument(raw)).map(formatProblem);
}

describe('schema', () => {
  it('accepts the lif-cnn template and fills defaults', () => {
    const r = parseDocument(clone());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(DOCUMENT_VERSION);
    expect(r.doc.nodes.length).toBe(14);
    // input.kind has a default
    const doc = clone();
    delete doc.input.kind;
    const again = parseDocument(doc);
    expect(again.ok && again.doc.input.kind).toBe('image');
  });

  it('rejects unknown fields at every level, each with the path of the field itself', () => {
    const doc = clone();
    doc.extra = 1;
    doc.input.colour = 'rgb';
    doc.nodes[2].weight = [1];
    doc.edges[0].kind = 'spikes';
    doc.training.augmentation = { hflip: true, mixup: 0.8 };
    const got = formatted(doc);
    expect(got).toEqual(
      expect.arrayContaining([
        'extra: unknown field "extra"',
        'input.colour: unknown field "colour"',
        'nodes[2] "conv1".weight: unknown field "weight"',
        'edges[0].kind: unknown field "kind"',
        'training.augmentation.mixup: unknown field "mixup"',
      ]),
    );
    expect(got).toHaveLength(5);
  });

  it('locates type and range errors, naming the node', () => {
    const doc = clone();
    doc.timeSteps = 0;
    doc.input.shape = [1, 28, -28];
    doc.nodes[3].id = '3bad id';
    doc.nodes[4].block = '';
    doc.nodes[5].position = { x: 'left', y: 0 };
    doc.edges[2].target = '';
    const got = problemsOf(parseDocument(doc));
    const at = (path: string) => got.find((p) => p.path === path);
    expect(at('timeSteps')?.message).toMatch(/>=\s*1/);
    expect(at('input.shape[2]')).toBeDefined();
    expect(at('nodes[3] "3bad id".id')?.message).toBe('must start with a letter or _ and use only letters, digits, _ . -');
    expect(at('nodes[3] "3bad id".id')?.nodeId).toBe('3bad id');
    expect(at('nodes[4] "lif1".block')?.message).toBe('must name a block');
    expect(at('nodes[5] "pool1".position.x')).toBeDefined();
    expect(at('edges[2].target')).toBeDefined();
    for (const p of got) {
      expect(p.severity).toBe('error');
      expect(p.message.length).toBeGreaterThan(0);
    }
  });

  it('requires the format, name, input, nodes and edges', () => {
    for (const key of ['format', 'name', 'input', 'nodes', 'edges', 'timeSteps']) {
      const doc = clone();
      delete doc[key];
      const got = problemsOf(parseDocument(doc));
      expect(got.map((p) => p.path), key).toContain(key);
    }
  });

  it('rejects other formats, and versions newer than this build', () => {
    const wrong = clone();
    wrong.format = 'onnx';
    expect(formatted(wrong)[0]).toMatch(/^format: /);
    const newer = clone();
    newer.version = DOCUMENT_VERSION + 1;
    expect(formatted(newer)).toEqual([`version: document version ${DOCUMENT_VERSION + 1} is newer than this SNN Studio understands (${DOCUMENT_VERSION}); update SNN Studio`]);
    for (const v of [-1, 1.5, '1']) {
      const bad = clone();
      bad.version = v;
      expect(problemsOf(parseDocument(bad))[0]!.path).toBe('version');
    }
  });

  it('rejects non-objects and bad JSON without throwing', () => {
    for (const raw of [null, 3, 'doc', [], true]) expect(formatted(raw)).toEqual(['document: a graph document must be a JSON object']);
    const text = problemsOf(parseDocumentText('{"format": '));
    expect(text[0]!.path).toBe('');
    expect(text[0]!.message).toMatch(/^not valid JSON/);
    expect(parseDocumentText(JSON.stringify(lifCnn())).ok).toBe(true);
  });

  it('refuses absurdly deep nesting with a path, instead of overflowing the stack', () => {
    const doc = clone();
    let v: unknown = 1;
    for (let i = 0; i < 50_000; i++) v = { a: [v] };
    doc.meta = { notes: v };
    const got = problemsOf(parseDocument(doc));
    expect(got).toHaveLength(1);
    expect(got[0]!.message).toBe('nested more than 100 levels deep');
    expect(got[0]!.path).toMatch(/^meta\.notes\.a\[0\]\.a\[0\]/);
    // nesting a document really uses is fine
    const ok = clone();
    ok.meta = { paper: { authors: [{ name: 'x', affiliations: [{ city: 'y' }] }] } };
    expect(parseDocument(ok).ok).toBe(true);
  });

  it('checks composites defined in the document with paths into them', () => {
    const doc = clone();
    doc.composites = {
      cbl: { nodes: [{ id: 'x', block: 'input', extra: 1 }], edges: [{ source: 'x' }] },
      'bad name': { nodes: [], edges: [] },
    };
    const got = formatted(doc);
    expect(got).toEqual(
      expect.arrayContaining([
        'composites.cbl.nodes[0] "x".extra: unknown field "extra"',
        expect.stringMatching(/^composites\.cbl\.edges\[0\]\.target: /),
        expect.stringMatching(/^composites\.bad name: /),
      ]),
    );
  });
});

describe('migration from version 0', () => {
  // version 0: no `format`, no `version`, `T` for timeSteps, edges as "node:port" strings
  const v0 = () => ({
    name: 'old',
    T: 3,
    input: { shape: [2, 8, 8], kind: 'image' },
    nodes: [
      { id: 'x', block: 'input' },
      { id: 'enc', block: 'direct_encoder' },
      { id: 'c1.a', block: 'conv2d', params: { outChannels: 4 } },
      { id: 'n', block: 'lif' },
      { id: 'gap', block: 'global_avgpool' },
      { id: 'm', block: 'mean_time' },
      { id: 'fc', block: 'head', params: { classes: 3 } },
      { id: 'y', block: 'output' },
    ],
    edges: [
      { from: 'x:out', to: 'enc:in' },
      { from: 'enc', to: 'c1.a' },
      { from: 'c1.a:out', to: 'n' },
      { from: 'n', to: 'gap:in' },
      { from: 'gap', to: 'm' },
      { from: 'm', to: 'fc' },
      { from: 'fc', to: 'y' },
    ],
  });

  it('turns a version-0 document into the current format', () => {
    const r = parseDocument(v0());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(0);
    expect(r.doc.format).toBe(DOCUMENT_FORMAT);
    expect(r.doc.version).toBe(DOCUMENT_VERSION);
    expect(r.doc.timeSteps).toBe(3);
    expect('T' in r.doc).toBe(false);
    // "node:port" splits at the last colon, so ids with dots survive
    expect(r.doc.edges[0]).toEqual({ source: 'x', sourcePort: 'out', target: 'enc', targetPort: 'in' });
    expect(r.doc.edges[1]).toEqual({ source: 'enc', target: 'c1.a' });
    expect(r.doc.edges[2]).toEqual({ source: 'c1.a', sourcePort: 'out', target: 'n' });
    const analysis = analyseDocument(r.doc);
    expect(analysis.problems).toEqual([]);
    expect(analysis.output).toEqual({ shape: [3], timed: false, kind: 'analog' });
  });

  it('keeps an explicit timeSteps over T and leaves malformed edges to the schema', () => {
    const doc: Record<string, any> = { ...v0(), timeSteps: 5 };
    doc.edges = [...doc.edges, { from: 'x' }, 7];
    const m = migrate(doc);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect((m.doc as GraphDocument).timeSteps).toBe(5);
    const got = formatted(doc);
    expect(got.some((s) => s.startsWith('edges[7].from: unknown field'))).toBe(true);
    expect(got.some((s) => s.startsWith('edges[8]: '))).toBe(true);
  });

  it('does not touch a current document', () => {
    const doc = clone();
    const m = migrate(doc);
    expect(m.ok && m.from).toBe(DOCUMENT_VERSION);
    expect(m.ok && m.doc).toBe(doc);
  });
});
