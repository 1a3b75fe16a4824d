/**
 * The legend of wire styles: one sample line per value kind, plus the error style. It folds to one
 * small button, so that it never has to cover a block the user is reading.
 */
import { IconChevronDown, IconListDetails } from '@tabler/icons-react';
import { KIND_STYLES } from './value-kinds.js';
import { VALUE_KINDS } from '../../../engine/core/tensor.js';
import { toggleLegend, useViewStore } from '../state/view-store.js';

export function KindLegend() {
  const open = useViewStore((s) => s.showLegend);
  if (!open) {
    return (
      <button type="button" className="snn-overlay-toggle" onClick={toggleLegend} aria-label="Show the wire legend" title="Show the wire legend" data-testid="legend-toggle">
        <IconListDetails size={13} />
        Legend
      </button>
    );
  }
  return (
    <div className="snn-legend" aria-label="wire legend" data-testid="legend">
      {VALUE_KINDS.map((k) => (
        <span key={k} className="snn-legend__item" title={KIND_STYLES[k].description}>
          <svg width="26" height="8" aria-hidden>
            <line x1="1" y1="4" x2="25" y2="4" stroke={KIND_STYLES[k].colorVar} strokeWidth="2" strokeDasharray={KIND_STYLES[k].dash} />
          </svg>
          {KIND_STYLES[k].label}
        </span>
      ))}
      <span className="snn-legend__item" title="the edge causes an error">
        <svg width="26" height="8" aria-hidden>
          <line x1="1" y1="4" x2="25" y2="4" stroke="var(--snn-error)" strokeWidth="2.25" />
        </svg>
        error
      </span>
      <button type="button" className="snn-legend__fold" onClick={toggleLegend} aria-label="Hide the wire legend" title="Hide the wire legend" data-testid="legend-toggle">
        <IconChevronDown size={13} />
      </button>
    </div>
  );
}
