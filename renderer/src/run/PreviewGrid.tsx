/** 16 samples of a dataset, 4×4, each drawn pixel for pixel on its canvas with its label under it. */
import { useEffect, useRef } from 'react';
import type { PreviewSample } from '../../../engine/api/runs.js';
import { sampleRgba } from './preview-pixels.js';

export function PreviewGrid({ samples }: { samples: readonly PreviewSample[] }) {
  return (
    <div className="snn-preview" data-testid="dataset-preview">
      {samples.slice(0, 16).map((s, i) => (
        <figure key={i} className="snn-preview__tile" data-testid="preview-sample">
          <SampleCanvas sample={s} />
          <figcaption title={`label ${s.label}`}>{s.className}</figcaption>
        </figure>
      ))}
    </div>
  );
}

function SampleCanvas({ sample }: { sample: PreviewSample }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    try {
      ctx.putImageData(new ImageData(sampleRgba(sample), sample.width, sample.height), 0, 0);
    } catch (e) {
      // a malformed sample stays a blank tile that says why
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      canvas.title = e instanceof Error ? e.message : String(e);
    }
  }, [sample]);
  return <canvas ref={ref} width={sample.width} height={sample.height} className="snn-preview__img" />;
}
