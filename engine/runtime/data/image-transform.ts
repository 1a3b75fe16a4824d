/**
 * Pixel conversions for image folders: RGBA to 1 or 3 planes ([C, H, W] bytes) and resizing of
 * planes. Bytes stay bytes so an image folder can cache every decoded sample at a quarter of the
 * float32 size.
 */
import type { RgbaImage } from './image-decode.js';

export type ResizeMode = 'nearest' | 'bilinear';

/** Whether every pixel has R = G = B, i.e. the image carries no colour. */
export function isGray(img: RgbaImage): boolean {
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

/**
 * RGBA → `channels` planes. Alpha is dropped (the colour values are kept as stored); grey is the
 * ITU-R 601 luma that PIL's `convert('L')` uses, so folders match torchvision's loaders.
 */
export function toPlanes(img: RgbaImage, channels: 1 | 3): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(channels * n);
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const r = d[4 * i]!;
    const g = d[4 * i + 1]!;
    const b = d[4 * i + 2]!;
    if (channels === 1) {
      out[i] = Math.round((r * 299 + g * 587 + b * 114) / 1000);
    } else {
      out[i] = r;
      out[n + i] = g;
      out[2 * n + i] = b;
    }
  }
  return out;
}

/**
 * Resizes `c` planes of h×w bytes to outH×outW. Both modes sample at pixel centres (PIL and
 * `F.interpolate(align_corners=False)` convention); bilinear clamps at the border and does no
 * antialiasing, so large downscales should prefer a pre-resized folder.
 */
export function resizePlanes(src: Uint8Array, c: number, h: number, w: number, outH: number, outW: number, mode: ResizeMode): Uint8Array {
  if (h === outH && w === outW) return src;
  const out = new Uint8Array(c * outH * outW);
  const sy = h / outH;
  const sx = w / outW;
  for (let ch = 0; ch < c; ch++) {
    const plane = ch * h * w;
    const dst = ch * outH * outW;
    for (let y = 0; y < outH; y++) {
      const fy = (y + 0.5) * sy - 0.5;
      for (let x = 0; x < outW; x++) {
        const fx = (x + 0.5) * sx - 0.5;
        out[dst + y * outW + x] = mode === 'nearest' ? src[plane + nearest(fy, h) * w + nearest(fx, w)]! : bilinear(src, plane, w, h, fy, fx);
      }
    }
  }
  return out;
}

function nearest(f: number, size: number): number {
  return Math.min(size - 1, Math.max(0, Math.floor(f + 0.5)));
}

function bilinear(src: Uint8Array, plane: number, w: number, h: number, fy: number, fx: number): number {
  const cy = Math.min(Math.max(fy, 0), h - 1);
  const cx = Math.min(Math.max(fx, 0), w - 1);
  const y0 = Math.floor(cy);
  const x0 = Math.floor(cx);
  const y1 = Math.min(y0 + 1, h - 1);
  const x1 = Math.min(x0 + 1, w - 1);
  const ty = cy - y0;
  const tx = cx - x0;
  const top = src[plane + y0 * w + x0]! * (1 - tx) + src[plane + y0 * w + x1]! * tx;
  const bottom = src[plane + y1 * w + x0]! * (1 - tx) + src[plane + y1 * w + x1]! * tx;
  return Math.round(top * (1 - ty) + bottom * ty);
}
