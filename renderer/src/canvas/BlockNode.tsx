/**
 * A block on the canvas: title, parameter summary and parameter count, one handle per port, and
 * the node's own problems. Everything it shows comes in `data` (built by flow-model.ts), so the
 * component is pure and React Flow re-renders it only when that data changes.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { IconStack2 } from '@tabler/icons-react';
import { memo, type CSSProperties } from 'react';
import type { Severity } from '../../../engine/core/problems.js';
import { formatCount } from '../format.js';
import { useBlockPaint } from '../profile/profile-store.js';
import { useExportMark } from '../run/export-lint.js';
import { SeverityIcon } from '../problems/SeverityIcon.js';
import type { BlockNodeData, FlowNode, PortView } from './flow-model.js';

function BlockNodeView({ data, selected }: NodeProps<FlowNode>) {
  const rows = Math.max(data.inputs.length, data.outputs.length);
  const showPortNames = data.inputs.length > 1 || data.outputs.length > 1 || [...data.inputs, ...data.outputs].some((p) => p.name !== 'in' && p.name !== 'out');
  const line = findingLine(data);
  // the canvas's profile view: the block coloured by the last profile's figure, which its badge prints
  const paint = useBlockPaint(data.nodeId);
  // the export lint, while an export dialog (or its canvas marks) is on: what the format cannot hold
  const exportMark = useExportMark(data.nodeId);
  return (
    <div
      className="snn-node"
      data-category={data.category}
      data-status={line?.status ?? 'ok'}
      data-selected={selected || undefined}
      data-composite={data.openable || undefined}
      data-testid={`node-${data.nodeId}`}
      data-paint={paint?.text}
      data-export-lint={exportMark?.format}
      style={paint ? ({ '--snn-paint': paint.colour } as CSSProperties) : undefined}
      title={[...data.errors, ...data.warnings, ...data.facts, ...(exportMark ? [`Not exportable to ${exportMark.format.toUpperCase()}:`, ...exportMark.reasons] : [])].join('\n') || undefined}
    >
      <div className="snn-node__head">
        {data.openable && <IconStack2 size={13} className="snn-node__icon" aria-label="composite block" />}
        <span className="snn-node__title">{data.title}</span>
        {paint && (
          <span className="snn-node__paint" title={paint.title} data-testid={`node-paint-${data.nodeId}`}>
            {paint.text}
          </span>
        )}
        {exportMark && (
          <span className="snn-node__export-lint" title={exportMark.reasons.join('\n')} data-testid={`node-export-lint-${data.nodeId}`}>
            no {exportMark.format}
          </span>
        )}
        {data.paramCount !== undefined && (
          <span className="snn-node__params" data-zero={data.paramCount === 0 || undefined} title={`${data.paramCount.toLocaleString()} learnable parameters`} data-testid={`node-params-${data.nodeId}`}>
            {formatCount(data.paramCount)}
          </span>
        )}
      </div>
      <div className="snn-node__sub">
        <span className="snn-node__block">{data.blockLabel}</span>
        {data.summary && <span className="snn-node__summary"> · {data.summary}</span>}
      </div>
      {showPortNames ? (
        <div className="snn-node__ports">
          {Array.from({ length: rows }, (_, i) => (
            <div className="snn-node__port-row" key={i}>
              <PortSlot port={data.inputs[i]} side="in" showName />
              <PortSlot port={data.outputs[i]} side="out" showName />
            </div>
          ))}
        </div>
      ) : (
        // one unnamed port a side: the handles sit at mid-height of the node itself
        <>
          {data.inputs[0] && <PortHandle port={data.inputs[0]} side="in" />}
          {data.outputs[0] && <PortHandle port={data.outputs[0]} side="out" />}
        </>
      )}
      {line && (
        <div className="snn-node__problem" data-testid={`node-problem-${data.nodeId}`}>
          <SeverityIcon severity={line.severity} size={12} />
          <span>{line.text}</span>
        </div>
      )}
    </div>
  );
}

type Status = 'error' | 'warning' | 'inside' | 'info';

/** The one line a block shows: its worst finding, else what is inside it (problems before facts). */
function findingLine(d: BlockNodeData): { status: Status; severity: Severity; text: string } | undefined {
  if (d.errors.length > 0) return { status: 'error', severity: 'error', text: d.errors[0]! };
  if (d.warnings.length > 0) return { status: 'warning', severity: 'warning', text: d.warnings[0]! };
  if (d.insideProblems > 0) return { status: 'inside', severity: 'warning', text: `${d.insideProblems} problem${d.insideProblems === 1 ? '' : 's'} inside` };
  if (d.facts.length > 0) return { status: 'info', severity: 'info', text: d.facts[0]! };
  if (d.insideFacts > 0) return { status: 'info', severity: 'info', text: `${d.insideFacts} layer${d.insideFacts === 1 ? '' : 's'} inside ${d.insideFacts === 1 ? 'uses' : 'use'} MACs, not spike-driven` };
  return undefined;
}

function PortSlot({ port, side, showName }: { port: PortView | undefined; side: 'in' | 'out'; showName: boolean }) {
  if (!port) return <span className="snn-node__port" />;
  return (
    <span className={`snn-node__port snn-node__port--${side}`}>
      <PortHandle port={port} side={side} />
      {showName && <span className="snn-node__port-name">{port.label}</span>}
    </span>
  );
}

function PortHandle({ port, side }: { port: PortView; side: 'in' | 'out' }) {
  return (
    <Handle
      type={side === 'in' ? 'target' : 'source'}
      position={side === 'in' ? Position.Left : Position.Right}
      id={port.name}
      className="snn-handle"
      aria-label={`${side === 'in' ? 'input' : 'output'} port ${port.label}`}
      data-testid={`handle-${side}-${port.name}`}
    />
  );
}

export const BlockNode = memo(BlockNodeView);
