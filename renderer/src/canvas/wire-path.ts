/**
 * The path of a wire from an output handle (right side) to an input handle (left side). Forward
 * wires are Bézier curves. A wire whose target lies left of its source — the wire from the end of
 * one row of a wrapped layout to the start of the next, or one the user dragged backwards — would
 * be a long S across the nodes between; it is drawn as a routed return instead (out to the right,
 * along the gap between the rows, in from the left), as a line of text wraps.
 */
import { getBezierPath, getSmoothStepPath, Position } from '@xyflow/react';

export interface WireEnds {
  readonly sourceX: number;
  readonly sourceY: number;
  readonly targetX: number;
  readonly targetY: number;
}

/** [svg path, label x, label y]. */
export function wirePath(w: WireEnds): [string, number, number] {
  const ends = { ...w, sourcePosition: Position.Right, targetPosition: Position.Left };
  if (w.targetX >= w.sourceX) {
    const [d, x, y] = getBezierPath(ends);
    return [d, x, y];
  }
  const [d, x, y] = getSmoothStepPath({ ...ends, borderRadius: 8, offset: 24 });
  return [d, x, y];
}
