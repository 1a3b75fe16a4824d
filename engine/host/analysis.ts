/**
 * validate and compile, as the API answers them: a document that fails its schema, its shape rules
 * or its limits is a normal answer (`ok: false` with located problems), not an error reply. This is
 * the work itself; the host runs it on its analysis threads (analyser.ts), never on the thread
 * that answers the renderer.
 */
import type { ResponseMap, WireProblem } from '../api/studio-api.js';
import { parseDocument } from '../core/document/load.js';
import { analyseDocument } from '../core/graph/infer.js';
import type { Limits } from '../core/limits/limits.js';
import { ProblemsError, type Problem } from '../core/problems.js';
import { compileInference } from '../runtime/compile.js';

export function validateDocument(raw: unknown, limits?: Limits): ResponseMap['validate'] {
  const parsed = parseDocument(raw);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(wireProblem), paramCount: 0, macs: 0 };
  const analysis = analyseDocument(parsed.doc, undefined, limits);
  return { ok: analysis.ok, problems: analysis.problems.map(wireProblem), paramCount: analysis.paramCount, macs: analysis.macs };
}

export function compileDocument(raw: unknown, batch = 1, limits?: Limits): ResponseMap['compile'] {
  const parsed = parseDocument(raw);
  if (!parsed.ok) return notCompiled(parsed.problems.map(wireProblem));
  const t0 = performance.now();
  try {
    const compiled = compileInference(parsed.doc, { batch, ...(limits ? { limits } : {}) });
    return {
      ok: true,
      problems: compiled.analysis.problems.map(wireProblem),
      bytes: compiled.bytes.length,
      compileMs: performance.now() - t0,
      inputShape: [...compiled.inputShape],
      outputShape: [...compiled.outputShape],
    };
  } catch (e) {
    if (e instanceof ProblemsError) return notCompiled(e.problems.map(wireProblem));
    throw e;
  }
}

/** A compile refused before any model was built (validation's problems). */
export function notCompiled(problems: WireProblem[]): ResponseMap['compile'] {
  return { ok: false, problems, bytes: 0, compileMs: 0, inputShape: [], outputShape: [] };
}

/** Problems are readonly in core and plain objects on the wire. */
function wireProblem(p: Problem): WireProblem {
  const { inner, innerPath, ...rest } = p;
  return { ...rest, ...(inner ? { inner: [...inner] } : {}), ...(innerPath ? { innerPath: [...innerPath] } : {}) };
}
