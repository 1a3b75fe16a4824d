/**
 * Every finding of the document, filtered by severity (errors and warnings by default; design
 * facts on request), under a one-line summary of how spike-driven the model is. A click selects
 * the culprit (opening the composite it is in).
 */
import { ScrollArea, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMemo } from 'react';
import { spikeDrivenSummary } from '../../../engine/core/graph/summary.js';
import { SEVERITIES, type Problem, type Severity } from '../../../engine/core/problems.js';
import { revealProblem } from '../actions/reveal.js';
import { useAnalysis } from '../state/analysis.js';
import { toggleProblemFilter, useViewStore } from '../state/view-store.js';
import { SeverityIcon } from './SeverityIcon.js';

export function ProblemsPanel() {
  const analysis = useAnalysis();
  const filter = useViewStore((s) => s.problemFilter);
  const counts = countBySeverity(analysis.problems);
  const summary = useMemo(() => spikeDrivenSummary(analysis)?.text, [analysis]);
  const shown = useMemo(() => sortProblems(analysis.problems.filter((p) => filter[p.severity])), [analysis.problems, filter]);
  return (
    <div className="snn-problems-panel">
      <div className="snn-problems-bar" role="toolbar" aria-label="Filter problems">
        {SEVERITIES.map((s) => (
          <button
            key={s}
            type="button"
            className="snn-problems-filter"
            data-severity={s}
            aria-pressed={filter[s]}
            onClick={() => toggleProblemFilter(s)}
            data-testid={`problems-filter-${s}`}
            title={`${filter[s] ? 'Hide' : 'Show'} ${FILTER_HELP[s]}`}
          >
            <SeverityIcon severity={s} size={12} />
            {FILTER_LABEL[s]}
            <span className="snn-problems-filter__count">{counts[s]}</span>
          </button>
        ))}
        {summary && (
          <Text size="xs" c="dimmed" className="snn-problems-summary" data-testid="problems-summary" title="Share of multiply-accumulates whose input is binary spikes (accumulates on neuromorphic hardware)">
            {summary}
          </Text>
        )}
      </div>
      {shown.length === 0 ? (
        <div className="snn-problems-empty" data-testid="problems-empty">
          <IconCircleCheck size={14} />
          <Text size="xs">{emptyText(counts, filter)}</Text>
        </div>
      ) : (
        <ScrollArea className="snn-panel__scroll" type="auto" scrollbarSize={8}>
          <ul className="snn-problems" data-testid="problems-list">
            {shown.map((p, i) => (
              <li key={i}>
                <button type="button" className="snn-problem" data-severity={p.severity} data-node={p.nodeId} data-edge={p.edgeIndex} onClick={() => revealProblem(p)} data-testid="problem">
                  <SeverityIcon severity={p.severity} size={13} className="snn-problem__icon" />
                  <span className="snn-problem__message">{p.message}</span>
                  <span className="snn-problem__where" title={p.path}>
                    {where(p)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </ScrollArea>
      )}
    </div>
  );
}

const FILTER_LABEL: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const FILTER_HELP: Record<Severity, string> = {
  error: 'errors: the graph cannot run',
  warning: 'warnings: likely mistakes',
  info: 'design facts: layers that multiply because they read spike counts or analog values',
};

function countBySeverity(problems: readonly Problem[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const p of problems) counts[p.severity]++;
  return counts;
}

/** What the badges count: errors and warnings; design facts are not problems to fix. */
export function problemCounts(problems: readonly Problem[]): { errors: number; warnings: number; facts: number } {
  const c = countBySeverity(problems);
  return { errors: c.error, warnings: c.warning, facts: c.info };
}

function emptyText(counts: Record<Severity, number>, filter: Readonly<Record<Severity, boolean>>): string {
  if (counts.error + counts.warning === 0) {
    const hidden = filter.info ? 0 : counts.info;
    return hidden > 0 ? `No errors or warnings: every shape checks. ${hidden} design fact${hidden === 1 ? '' : 's'} hidden (Info shows them).` : 'No problems: every shape checks.';
  }
  return 'Nothing of the chosen severities.';
}

/** `block1 › attn › q_linear` inside composites; the document path otherwise. */
function where(p: Problem): string {
  if (p.nodeId !== undefined && p.inner && p.inner.length > 0) return [p.nodeId, ...p.inner].join(' › ');
  return p.path || 'document';
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}
