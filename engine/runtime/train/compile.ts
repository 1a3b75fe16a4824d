/** Document → the training step and evaluation ONNX models (parameters as graph inputs in both). */
import type { GraphDocument } from '../../core/document/schema.js';
import { analyseDocument, type GraphAnalysis } from '../../core/graph/infer.js';
import type { Limits } from '../../core/limits/limits.js';
import { emitOnnx } from '../../core/onnx/emit.js';
import { ProblemsError } from '../../core/problems.js';
import { buildEvalGraph, type EvalGraph } from '../../core/train/eval-graph.js';
import { buildTrainStep, type TrainStepGraph, type TrainStepOptions } from '../../core/train/step.js';
import { encodeModel } from '../onnx/encode.js';

export interface CompiledStep {
  readonly step: TrainStepGraph;
  readonly bytes: Uint8Array;
}

export interface CompiledEval {
  readonly eval: EvalGraph;
  readonly bytes: Uint8Array;
}

/** The document's analysis, or its problems thrown; `limits` bound what it may expand to (core/limits). */
export function analyseOrThrow(doc: GraphDocument, limits?: Limits): GraphAnalysis {
  const analysis = analyseDocument(doc, undefined, limits);
  if (!analysis.ok) throw new ProblemsError(analysis.problems);
  return analysis;
}

export function compileTrainStep(doc: GraphDocument, o: TrainStepOptions, analysis = analyseOrThrow(doc)): CompiledStep {
  const step = buildTrainStep(doc, analysis, o);
  return { step, bytes: encodeModel(emitOnnx(step.graph, { name: `${doc.name} (train step)` })) };
}

export function compileEval(doc: GraphDocument, batch: number, analysis = analyseOrThrow(doc)): CompiledEval {
  const ev = buildEvalGraph(doc, analysis, batch);
  return { eval: ev, bytes: encodeModel(emitOnnx(ev.graph, { name: `${doc.name} (eval)` })) };
}
