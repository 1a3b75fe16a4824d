/**
 * Migrations: one function per version step, applied in order before the schema check, so an old
 * document opens in a new build. Version 0 is the pre-release layout (no `format` field, `T`
 * instead of `timeSteps`, edges as `from: "node:port"` / `to: "node:port"` strings; split at the
 * last colon, since ids may contain dots).
 */
import { DOCUMENT_FORMAT, DOCUMENT_VERSION } from './schema.js';

type Json = Record<string, unknown>;

export const migrations: Record<number, (doc: Json) => Json> = {
  0: migrateV0toV1,
};

export type MigrationResult = { ok: true; doc: unknown; from: number } | { ok: false; message: string; path: string };

export function migrate(raw: unknown): MigrationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, path: '', message: 'a graph document must be a JSON object' };
  }
  let doc = raw as Json;
  const version = doc.version === undefined ? 0 : doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, path: 'version', message: `must be a non-negative integer, got ${JSON.stringify(version)}` };
  }
  if (version > DOCUMENT_VERSION) {
    return {
      ok: false,
      path: 'version',
      message: `document version ${version} is newer than this SNN Studio understands (${DOCUMENT_VERSION}); update SNN Studio`,
    };
  }
  for (let v = version; v < DOCUMENT_VERSION; v++) {
    const step = migrations[v];
    if (!step) return { ok: false, path: 'version', message: `no migration from version ${v}` };
    doc = step(doc);
  }
  return { ok: true, doc, from: version };
}

function migrateV0toV1(doc: Json): Json {
  const { T, edges, ...rest } = doc;
  const out: Json = { format: DOCUMENT_FORMAT, ...rest, version: 1 };
  if (out.timeSteps === undefined && T !== undefined) out.timeSteps = T;
  if (Array.isArray(edges)) {
    out.edges = edges.map((e) => {
      if (typeof e !== 'object' || e === null) return e;
      const { from, to, ...other } = e as Json;
      if (typeof from !== 'string' || typeof to !== 'string') return e;
      const [source, sourcePort] = splitEndpoint(from);
      const [target, targetPort] = splitEndpoint(to);
      return { ...other, source, target, ...(sourcePort ? { sourcePort } : {}), ...(targetPort ? { targetPort } : {}) };
    });
  } else if (edges !== undefined) {
    out.edges = edges;
  }
  return out;
}

function splitEndpoint(s: string): [string, string | undefined] {
  const i = s.lastIndexOf(':');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
