/**
 * A dataset preview sample (8-bit grey or RGB pixels, base64) as the RGBA a canvas's ImageData
 * takes. Checked against the size the sample claims, so a short or long buffer is an error shown
 * on the tile rather than a stretched image.
 */
import type { PreviewSample } from '../../../engine/api/runs.js';

export function sampleRgba(sample: PreviewSample): Uint8ClampedArray<ArrayBuffer> {
  const bytes = base64Bytes(sample.pixels);
  const n = sample.width * sample.height;
  if (bytes.length !== n * sample.channels) {
    throw new Error(`sample of ${sample.width}×${sample.height}×${sample.channels} has ${bytes.length} bytes, expected ${n * sample.channels}`);
  }
  const out = new Uint8ClampedArray(new ArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) {
    const src = i * sample.channels;
    out[i * 4] = bytes[src]!;
    out[i * 4 + 1] = bytes[sample.channels === 3 ? src + 1 : src]!;
    out[i * 4 + 2] = bytes[sample.channels === 3 ? src + 2 : src]!;
    out[i * 4 + 3] = 255;
  }
  return out;
}

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
