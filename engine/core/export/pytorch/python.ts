/** Python source text from TypeScript values: literals, identifiers, indentation. */

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** A Python literal for a JSON-like value (numbers print as the shortest round-trip decimal, which Python reads back exactly). */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "float('nan')" : v > 0 ? "float('inf')" : "-float('inf')";
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${py(v[0])},)` : `(${v.map(py).join(', ')})`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(', ')}}`;
  throw new Error(`py: no Python literal for ${typeof v}`);
}

/** Whether `name` can be written as `self.name` (an identifier that is not a keyword). */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name);
}

/** A local variable name from a node id or port (non-identifier characters become `_`). */
export function variableName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  const t = /^[0-9]/.test(s) ? `n_${s}` : s;
  return KEYWORDS.has(t) || t === 'self' ? `${t}_` : t;
}

/** `self.id`, or `getattr(self, "id")` where the node id is not an identifier. */
export function selfRef(id: string): string {
  return isIdentifier(id) ? `self.${id}` : `getattr(self, ${JSON.stringify(id)})`;
}

/** `snake_case` or `kebab-case` → `PascalCase` (a class name). */
export function pascal(id: string): string {
  const s = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return /^[0-9]/.test(s) ? `B${s}` : s || 'Block';
}

export function indent(lines: readonly string[], depth: number): string[] {
  const pad = '    '.repeat(depth);
  return lines.map((l) => (l === '' ? '' : pad + l));
}
