/** Checks every template test makes: a valid document, its output, its metadata, a live forward pass. */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument, type GraphAnalysis } from '../../engine/core/graph/infer.js';
import { formatProblem } from '../../engine/core/problems.js';
import type { PresetInfo } from '../../templates/index.js';
import type { Template } from '../../templates/types.js';
import { forwardOnce } from '../helpers/forward.js';

/** No errors (warnings — e.g. Linear layers that receive spike counts after SEW ADD — are facts, not faults). */
export function expectValid(doc: GraphDocument, classes: number): GraphAnalysis {
  const a = analyseDocument(doc);
  expect(a.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
  expect(a.output).toEqual({ shape: [classes], timed: expect.any(Boolean), kind: 'analog' });
  return a;
}

/** The document carries the preset's paper numbers and a training recipe. */
export function expectMeta(doc: GraphDocument, templateId: string, preset: PresetInfo): void {
  expect(doc.meta).toMatchObject({ template: templateId, preset: preset.name, config: preset.config, T: preset.timeSteps, dataset: preset.dataset, reportedTop1: preset.reportedTop1 });
  expect(doc.timeSteps).toBe(preset.timeSteps);
  expect(doc.training?.epochs).toBeGreaterThan(0);
  expect(doc.training?.optimizer).toBeDefined();
}

/** The number of classes: the head's, or the dataset's class list. */
export function classesOf(doc: GraphDocument): number {
  const head = doc.nodes.find((n) => n.block === 'head')?.params?.classes;
  return typeof head === 'number' ? head : (doc.input.classes?.length ?? 10);
}

/** Relative distance of an exact count from a reported one. */
export function relativeGap(count: number, reported: number): number {
  return Math.abs(count - reported) / reported;
}

/** Compiles and runs the document once; the logits must be finite and not all zero (spikes reached the head). */
export async function expectForward(doc: GraphDocument, classes: number): Promise<number> {
  const r = await forwardOnce(doc, { bnGain: 20 });
  expect(r.dims).toEqual([1, classes]);
  expect(r.logits.every(Number.isFinite)).toBe(true);
  expect(r.logits.some((v) => v !== 0)).toBe(true);
  return r.compileMs + r.sessionMs + r.runMs;
}

export interface CountExpectations {
  /** Presets whose count must be exactly this (released logs, the spec's arithmetic). */
  readonly exact?: Readonly<Record<string, number>>;
  /** Presets that knowingly differ from the paper's column, with the count built and why. */
  readonly differs?: Readonly<Record<string, { readonly count: number; readonly why: string }>>;
  /**
   * The paper's table gives one count per model for CIFAR10 and CIFAR100 alike, that of the
   * 10-class head: compare CIFAR100 presets with a 10-class head swapped in.
   */
  readonly tenClassColumn?: boolean;
  /** Presets whose reported count is rounded to this unit (the README's "55 M"): within half of it. */
  readonly rounding?: Readonly<Record<string, number>>;
}

/** Every preset of a template: valid, its metadata, its parameter count against the paper (0.5 %, or exact). */
export function describePresets(template: Template, counts: CountExpectations): void {
  describe(`${template.id}: every preset validates and counts its parameters like the paper`, () => {
    for (const preset of template.presets) {
      it(preset.name, () => {
        const doc = template.build(preset);
        const classes = classesOf(doc);
        const a = expectValid(doc, classes);
        expectMeta(doc, template.id, preset);
        const exact = counts.exact?.[preset.name] ?? counts.differs?.[preset.name]?.count;
        if (exact !== undefined) expect(a.paramCount).toBe(exact);
        else if (preset.params !== null) {
          const head = a.body.byId.get('head')!.paramCount;
          const compared = counts.tenClassColumn && preset.dataset === 'CIFAR100' ? a.paramCount - head + (head / classes) * 10 : a.paramCount;
          const unit = counts.rounding?.[preset.name];
          if (unit !== undefined) expect(Math.abs(compared - preset.params), `${compared} vs the reported ${preset.params}`).toBeLessThanOrEqual(unit / 2);
          else expect(relativeGap(compared, preset.params), `${compared} vs the paper's ${preset.params}`).toBeLessThan(0.005);
        }
      });
    }
  });
}

/**
 * A compile and one forward pass on ONNX Runtime for every preset that is not ImageNet-sized, once
 * per distinct model (presets that differ only in their training recipe or dataset name share it).
 */
export function describeForwardPasses(template: Template, skip: (p: PresetInfo) => boolean = (p) => p.dataset === 'ImageNet-1K'): void {
  describe(`${template.id}: compile and one forward pass on ONNX Runtime`, () => {
    const seen = new Set<string>();
    for (const preset of template.presets.filter((p) => !skip(p))) {
      const doc = template.build(preset);
      const model = JSON.stringify([doc.timeSteps, doc.input.shape, doc.input.kind, doc.nodes, doc.edges, doc.composites ?? null]);
      if (seen.has(model)) continue;
      seen.add(model);
      it(preset.name, async () => {
        await expectForward(doc, classesOf(doc));
      });
    }
  });
}
