/**
 * JSON with object keys sorted and undefined members left out, so two equal values give one string
 * whatever order their keys were written in: the key of shape inference's caches and, hashed, the
 * document hash that models and checkpoints record (engine/runtime/hash.ts).
 */
export function canonicalJson(v: unknown, dropPositions = false): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x, dropPositions)).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined && !(dropPositions && k === 'position'))
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k], dropPositions)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
