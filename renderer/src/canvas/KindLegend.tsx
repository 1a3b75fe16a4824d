/** The legend of wire styles: one sample line per value kind, plus the error style. */
import { KIND_STYLES } from './value-kinds.js';
import { VALUE_KINDS } from '../../../engine/core/tensor.js';

export function KindLegend() {
  return (
    <div className="snn-legend" aria-label="wire legend">
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
    </div>
  );
}
