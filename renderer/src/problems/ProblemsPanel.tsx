/** Every problem of the document; a click selects the culprit (opening the composite it is in). */
import { ScrollArea, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { Problem } from '../../../engine/core/problems.js';
import { revealProblem } from '../actions/reveal.js';
import { useAnalysis } from '../state/analysis.js';
import { problemText } from './locate.js';

export function ProblemsPanel() {
  const analysis = useAnalysis();
  const problems = sortProblems(analysis.problems);
  if (problems.length === 0) {
    return (
      <div className="snn-problems-empty" data-testid="problems-empty">
        <IconCircleCheck size={14} />
        <Text size="xs">No problems: every shape checks.</Text>
      </div>
    );
  }
  return (
    <ScrollArea className="snn-panel__scroll" type="auto" scrollbarSize={8}>
      <ul className="snn-problems" data-testid="problems-list">
        {problems.map((p, i) => (
          <li key={i}>
            <button type="button" className="snn-problem" data-severity={p.severity} data-node={p.nodeId} data-edge={p.edgeIndex} onClick={() => revealProblem(p)} data-testid="problem">
              {p.severity === 'error' ? <IconCircleX size={13} className="snn-problem__icon" /> : <IconAlertTriangle size={13} className="snn-problem__icon" />}
              <span className="snn-problem__message">{problemText(p)}</span>
              <span className="snn-problem__where" title={p.path}>
                {where(p)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </ScrollArea>
  );
}

export function problemCounts(problems: readonly Problem[]): { errors: number; warnings: number } {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}

/** `block1 › attn › q_linear` inside composites; the document path otherwise. */
function where(p: Problem): string {
  if (p.nodeId !== undefined && p.inner && p.inner.length > 0) return [p.nodeId, ...p.inner].join(' › ');
  return p.path || 'document';
}

function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
