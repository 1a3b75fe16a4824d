/**
 * The hash a run records for the document it trains (engine/runtime/hash.ts documentHash: SHA-256
 * of the canonical JSON, node positions left out), computed here with WebCrypto so the run list
 * can mark runs whose document is not the open one. The runtime's version uses node:crypto, which
 * the renderer may not import; test/renderer/run-export.test.ts holds the two equal. Both
 * hash core's canonical JSON.
 */
import { canonicalJson } from '../../../engine/core/canonical-json.js';

const hashes = new WeakMap<object, Promise<string>>();

/** WebCrypto's digest exists only in a secure context (the app's own page is one: localhost or the desktop's). */
export function canHash(): boolean {
  return typeof crypto !== 'undefined' && crypto.subtle !== undefined;
}

/** Hex SHA-256, once per document version (documents are immutable values, so the object is the key). */
export function documentHash(doc: object): Promise<string> {
  let hash = hashes.get(doc);
  if (!hash) {
    hash = crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(doc, true))).then((buf) =>
      Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join(''),
    );
    hashes.set(doc, hash);
  }
  return hash;
}
