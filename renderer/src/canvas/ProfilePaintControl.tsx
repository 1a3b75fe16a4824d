/**
 * The canvas's profile view, beside the spike-driven analysis switch once a profile of the open
 * document has run: paint nothing, or colour the blocks by firing rate, energy share or time share
 * (each block's badge prints its figure; under firing rate the wires thicken and colour with the
 * spike density they carry), with a legend of the scale.
 */
import { SegmentedControl } from '@mantine/core';
import { paintColour } from '../profile/profile-paint.js';
import { formatFigure, METRIC_LABELS, setPaint, useProfileStore, useScopePaint, type PaintMode } from '../profile/profile-store.js';
import { useDocumentStore } from '../state/document-store.js';

const STOPS = [0, 0.25, 0.5, 0.75, 1];

export function ProfilePaintControl() {
  const session = useDocumentStore((s) => s.session);
  const result = useProfileStore((s) => (s.session === session ? s.result : null));
  const mode = useProfileStore((s) => s.paint);
  const paint = useScopePaint();
  if (!result) return null;
  const hasTimes = result.profile.totals.timeMs !== undefined;
  return (
    <div className="snn-analysis-toggle snn-profile-paint" data-testid="profile-paint">
      <span>Profile</span>
      <SegmentedControl
        size="xs"
        value={mode}
        onChange={(v) => setPaint(v as PaintMode)}
        data={[
          { value: 'off', label: 'off' },
          { value: 'firingRate', label: 'firing rate' },
          { value: 'energyShare', label: 'energy' },
          { value: 'timeShare', label: 'time', disabled: !hasTimes },
        ]}
        data-testid="profile-paint-mode"
      />
      {paint ? (
        <span className="snn-profile-legend" data-testid="profile-legend" data-max={paint.max} title={`${METRIC_LABELS[paint.metric]} of each block on screen, from 0 to the largest (${formatFigure(paint.max)})`}>
          <span>0</span>
          <span className="snn-profile-legend__bar" style={{ background: `linear-gradient(to right, ${STOPS.map((v) => paintColour(v)).join(', ')})` }} />
          <span>{formatFigure(paint.max)}</span>
          <span className="snn-profile-legend__label">{METRIC_LABELS[paint.metric]}{paint.metric === 'firingRate' ? ' (wires: spike density)' : ''}</span>
        </span>
      ) : null}
    </div>
  );
}
