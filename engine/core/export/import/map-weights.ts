/**
 * Foreign tensors (a state_dict, a safetensors file) onto a document's parameters: each name through
 * the family's table (name-tables.ts), each shape checked — equal, or equal once trailing 1s are
 * dropped (a released Conv1d's [O, I, 1] kernel for the document's [O, I] pointwise weight). The
 * result lists every tensor's fate; nothing is skipped silently, and the import refuses unless
 * every document tensor is filled and every foreign one used or ignored by a stated rule.
 */
import type { NameTable } from './name-tables.js';

export interface Mapped {
  readonly values: Map<string, Float32Array>;
  /** [released name, document name] where they differ. */
  readonly renamed: [string, string][];
  /** [document name, released shape] where a trailing 1 was dropped. */
  readonly reshaped: [string, readonly number[]][];
  /** [released name, why]. */
  readonly ignored: [string, string][];
  /** Released tensors with no document place and no rule. */
  readonly unexpected: string[];
  /** Document tensors nothing filled. */
  readonly missing: string[];
  /** [released name, document name, released shape, document shape]. */
  readonly mismatched: [string, string, readonly number[], readonly number[]][];
}

export function mapWeights(table: NameTable, foreign: ReadonlyMap<string, { readonly shape: readonly number[]; readonly data: Float32Array }>, expected: ReadonlyMap<string, readonly number[]>): Mapped {
  const m: Mapped = { values: new Map(), renamed: [], reshaped: [], ignored: [], unexpected: [], missing: [], mismatched: [] };
  for (const [name, t] of foreign) {
    const rule = table.ignored.find((r) => r.match.test(name));
    if (rule && !expected.has(name)) {
      m.ignored.push([name, rule.why]);
      continue;
    }
    const target = expected.has(name) ? name : rename(table, name);
    const want = target === undefined ? undefined : expected.get(target);
    if (target === undefined || want === undefined) {
      m.unexpected.push(name);
      continue;
    }
    if (target !== name) m.renamed.push([name, target]);
    if (!sameShape(t.shape, want)) {
      if (!sameShape(dropTrailingOnes(t.shape), dropTrailingOnes(want))) {
        m.mismatched.push([name, target, t.shape, want]);
        continue;
      }
      m.reshaped.push([target, t.shape]);
    }
    if (m.values.has(target)) {
      m.mismatched.push([name, target, t.shape, want]);
      continue;
    }
    m.values.set(target, t.data);
  }
  for (const name of expected.keys()) if (!m.values.has(name)) m.missing.push(name);
  return m;
}

export function isComplete(m: Mapped): boolean {
  return m.unexpected.length === 0 && m.missing.length === 0 && m.mismatched.length === 0;
}

/** The problems of an incomplete mapping, one line each, the first few of each kind. */
export function mappingProblems(m: Mapped, limit = 8): string[] {
  const few = <T>(xs: readonly T[], f: (x: T) => string) => [...xs.slice(0, limit).map(f), ...(xs.length > limit ? [`… and ${xs.length - limit} more`] : [])];
  return [
    ...(m.mismatched.length ? [`${m.mismatched.length} shape mismatch(es):`, ...few(m.mismatched, ([f, t, a, b]) => `  ${f}${f === t ? '' : ` (→ ${t})`}: [${a.join(',')}] in the file, [${b.join(',')}] in the document`)] : []),
    ...(m.missing.length ? [`${m.missing.length} document tensor(s) not in the file:`, ...few(m.missing, (n) => `  ${n}`)] : []),
    ...(m.unexpected.length ? [`${m.unexpected.length} tensor(s) in the file the document has no place for:`, ...few(m.unexpected, (n) => `  ${n}`)] : []),
  ];
}

function rename(table: NameTable, name: string): string | undefined {
  for (const r of table.renames) {
    const match = name.match(r.from);
    if (match) return r.to(match);
  }
  return undefined;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function dropTrailingOnes(s: readonly number[]): readonly number[] {
  let n = s.length;
  while (n > 1 && s[n - 1] === 1) n--;
  return s.slice(0, n);
}
