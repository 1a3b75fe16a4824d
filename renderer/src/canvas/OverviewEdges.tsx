/** The wires as a handful of paths while the canvas is zoomed out (see overview.ts). */
import { ViewportPortal } from '@xyflow/react';
import { useMemo } from 'react';
import type { FlowEdge, FlowNode } from './flow-model.js';
import { overviewPaths, type OverviewStyle } from './overview.js';
import { KIND_STYLES } from './value-kinds.js';

export function OverviewEdges({ nodes, edges }: { nodes: readonly FlowNode[]; edges: readonly FlowEdge[] }) {
  const paths = useMemo(() => overviewPaths(nodes, edges), [nodes, edges]);
  return (
    <ViewportPortal>
      <svg className="snn-overview-edges" aria-hidden>
        {paths.map((p) => (
          // non-scaling: a wire stays a visible line (in screen pixels) however far out the view is
          <path key={p.style} d={p.d} fill="none" vectorEffect="non-scaling-stroke" stroke={strokeOf(p.style)} strokeWidth={p.style === 'error' ? 2 : 1} strokeDasharray={p.style === 'error' || p.style === 'untyped' ? undefined : KIND_STYLES[p.style].dash} />
        ))}
      </svg>
    </ViewportPortal>
  );
}

function strokeOf(style: OverviewStyle): string {
  if (style === 'error') return 'var(--snn-error)';
  if (style === 'untyped') return 'var(--snn-edge-untyped)';
  return KIND_STYLES[style].colorVar;
}
