/**
 * validate and compile, as the API answers them: a document that fails its schema or its shape
 * rules is a normal answer (`ok: false` with located problems), not an error reply. Validation is
 * bounded (the limits) and runs here; compile builds the model, which takes seconds for a large
 * one, so the host runs it on its compile thread.
 */
import type { ResponseMap, WireProblem } from '../api/studio-api.js';
import { parseDocument } from '../core/document/load.js';
import { analyseDocument } from '../core/graph/infer.js';
import { ProblemsError, type Problem } from '../core/problems.js';
import { compileInference } from '../runtime/compile.js';
import { CompileThread } from './compile-thread.js';

export function validateDocument(raw: unknown): ResponseMap['validate'] {
  const parsed = parseDocument(raw);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(wireProblem), paramCount: 0, macs: 0 };
  const analysis = analyseDocument(parsed.doc);
  return { ok: analysis.ok, problems: analysis.problems.map(wireProblem), paramCount: analysis.paramCount, macs: analysis.macs };
}

let thread: CompileThread | undefined;

/**
 * Compiles on the compile thread, never on the caller's. A document that does not validate is
 * answered here at once, as validate answers it (validation is bounded by the limits; building
 * the model is what takes long).
 */
export async function compileDocument(raw: unknown, batch = 1): Promise<ResponseMap['compile']> {
  const checked = validateDocument(raw);
  if (!checked.ok) return { ok: false, problems: checked.problems, bytes: 0, compileMs: 0, inputShape: [], outputShape: [] };
  thread ??= new CompileThread();
  return thread.compile(raw, batch);
}

/** Compiles on this thread (the compile thread's own work, and tests). */
export function compileDocumentHere(raw: unknown, batch = 1): ResponseMap['compile'] {
  const empty = { bytes: 0, compileMs: 0, inputShape: [], outputShape: [] };
  const parsed = parseDocument(raw);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(wireProblem), ...empty };
  const t0 = performance.now();
  try {
    const compiled = compileInference(parsed.doc, { batch });
    return {
      ok: true,
      problems: compiled.analysis.problems.map(wireProblem),
      bytes: compiled.bytes.length,
      compileMs: performance.now() - t0,
      inputShape: [...compiled.inputShape],
      outputShape: [...compiled.outputShape],
    };
  } catch (e) {
    if (e instanceof ProblemsError) return { ok: false, problems: e.problems.map(wireProblem), ...empty };
    throw e;
  }
}

/** Problems are readonly in core and plain objects on the wire. */
function wireProblem(p: Problem): WireProblem {
  const { inner, innerPath, ...rest } = p;
  return { ...rest, ...(inner ? { inner: [...inner] } : {}), ...(innerPath ? { innerPath: [...innerPath] } : {}) };
}
