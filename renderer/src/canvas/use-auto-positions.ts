/**
 * Positions for a body whose nodes have none (the generated inside of a built-in block, or a
 * document edited by hand): laid out once per body object, and remembered while it lives.
 */
import { useEffect, useState } from 'react';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import type { Body } from '../document/body.js';
import type { XY } from '../document/ops.js';
import { layoutAll, needsLayout } from '../layout/layout-document.js';

const layouts = new WeakMap<Body, ReadonlyMap<string, XY>>();

/** null while there is nothing to lay out; 'pending' until the layout of a body that needs one is ready. */
export function useAutoPositions(doc: GraphDocument, body: Body): ReadonlyMap<string, XY> | null | 'pending' {
  const needed = needsLayout(body);
  const [, setReady] = useState(0);
  useEffect(() => {
    if (!needed || layouts.has(body)) return;
    let live = true;
    void layoutAll(doc, body).then((laid) => {
      layouts.set(body, new Map(laid.nodes.map((n) => [n.id, n.position ?? { x: 0, y: 0 }])));
      if (live) setReady((n) => n + 1);
    });
    return () => {
      live = false;
    };
  }, [doc, body, needed]);
  if (!needed) return null;
  return layouts.get(body) ?? 'pending';
}
