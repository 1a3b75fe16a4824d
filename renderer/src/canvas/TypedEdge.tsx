/**
 * A wire: drawn in its value kind's colour and dash pattern, labelled with the tensor type it
 * carries (`[4,B,64,16,16] spikes`), and red with the message when the edge is the culprit of an
 * error (a shape the target cannot take). Its route and its label's place come from the layout of
 * all wires (wire-layout.ts); a label with no free place shows only while the wire is selected.
 */
import { BaseEdge, EdgeLabelRenderer, useStore, type EdgeProps } from '@xyflow/react';
import { IconCircleX } from '@tabler/icons-react';
import { memo } from 'react';
import { useWirePaint } from '../profile/profile-store.js';
import type { FlowEdge } from './flow-model.js';
import { KIND_STYLES } from './value-kinds.js';
import { useWireRoute } from './use-wire-routes.js';
import { pointAt, polylineLength, type WireRoute } from './wire-layout.js';
import { wirePath, type WireEnds } from './wire-path.js';

/** Below this zoom the labels would be unreadable clutter; the colours and dashes still tell the kind. */
const LABEL_MIN_ZOOM = 0.45;

function TypedEdgeView({ id, source, sourceHandleId, sourceX, sourceY, targetX, targetY, data, selected, markerEnd }: EdgeProps<FlowEdge>) {
  const showLabel = useStore((s) => s.transform[2] >= LABEL_MIN_ZOOM);
  const route = useWireRoute(id);
  const errors = data?.errors ?? [];
  const [path, labelX, labelY, unplaced] = placed(route, { sourceX, sourceY, targetX, targetY }, selected === true || errors.length > 0);
  const style = data?.kind ? KIND_STYLES[data.kind] : undefined;
  const broken = errors.length > 0;
  // the canvas's profile view under firing rate: the wire coloured and thickened by its spike density
  const paint = useWirePaint(source, sourceHandleId ?? 'out');
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        interactionWidth={16}
        className={`snn-edge${broken ? ' snn-edge--error' : ''}${selected ? ' snn-edge--selected' : ''}`}
        data-density={paint?.density}
        style={{
          stroke: broken ? 'var(--snn-error)' : (paint?.colour ?? style?.colorVar ?? 'var(--snn-edge-untyped)'),
          strokeDasharray: broken ? undefined : style?.dash,
          strokeWidth: selected ? 2.75 : broken ? 2.25 : (paint?.width ?? 1.75),
        }}
      />
      {(showLabel || broken || selected) && (data?.shape || broken) && (
        <EdgeLabelRenderer>
          <div
            className={`snn-edge-label nodrag nopan${broken ? ' snn-edge-label--error' : ''}${selected ? ' snn-edge-label--selected' : ''}${unplaced ? ' snn-edge-label--unplaced' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
            data-kind={data?.kind}
            title={broken ? errors.join('\n') : style?.description}
          >
            {data?.shape && (
              <span className="snn-edge-label__type">
                <span className="snn-edge-label__shape">{data.shape}</span>
                {data.kind && <span className="snn-edge-label__kind" style={{ color: style?.colorVar }}>{data.kind}</span>}
              </span>
            )}
            {broken && (
              <span className="snn-edge-label__error">
                <IconCircleX size={11} />
                <span>{errors[0]}</span>
              </span>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/**
 * The path, the label's centre, and whether the label found no free place: the wire layout's, or
 * the plain wire's before it is laid out. An unplaced label stays in the page, hidden (the wire's
 * type is still there to read for assistive technology and tests), until the wire is selected.
 */
function placed(route: WireRoute | undefined, ends: WireEnds, mustShow: boolean): [string, number, number, boolean] {
  if (!route) return [...wirePath(ends), false];
  if (route.label) return [route.d, route.label.x, route.label.y, false];
  const mid = pointAt(route.points, polylineLength(route.points) / 2);
  return [route.d, mid.x, mid.y, !mustShow];
}

export const TypedEdge = memo(TypedEdgeView);
