/**
 * A profile chart drawn as SVG (raster, per-step bars) as a PNG: the SVG is copied with the colours
 * the page computed for it written in (its fills and strokes come from CSS variables and
 * currentColor, which a standalone image does not have), drawn at twice its size under a title.
 */

/** Pixels per CSS pixel in the PNG: sharp when a report scales it. */
export const PNG_SCALE = 2;
/** The title band above the chart, CSS pixels. */
export const PNG_TITLE_H = 22;

/** A data URL (image/png) of the SVG under `title`: (width, height + PNG_TITLE_H) × PNG_SCALE pixels. */
export async function svgPng(svg: SVGSVGElement, title: string, dark: boolean): Promise<string> {
  const width = svg.width.baseVal.value;
  const height = svg.height.baseVal.value;
  const image = await loadImage(standalone(svg, width, height));
  const out = document.createElement('canvas');
  out.width = Math.round(width * PNG_SCALE);
  out.height = Math.round((height + PNG_TITLE_H) * PNG_SCALE);
  const ctx = out.getContext('2d')!;
  ctx.scale(PNG_SCALE, PNG_SCALE);
  ctx.fillStyle = dark ? '#1f2024' : '#ffffff';
  ctx.fillRect(0, 0, width, height + PNG_TITLE_H);
  ctx.fillStyle = dark ? '#e9ecef' : '#1f2328';
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillText(title, 6, PNG_TITLE_H / 2, width - 12);
  ctx.drawImage(image, 0, PNG_TITLE_H, width, height);
  return out.toDataURL('image/png');
}

/** The SVG's markup with each element's computed fill, stroke and opacity written as attributes. */
function standalone(svg: SVGSVGElement, width: number, height: number): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = to[i]!;
    for (const prop of ['fill', 'stroke', 'stroke-opacity', 'fill-opacity', 'opacity'] as const) {
      const value = style.getPropertyValue(prop);
      if (value !== '') target.setAttribute(prop, value);
    }
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  return new XMLSerializer().serializeToString(copy);
}

function loadImage(markup: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  });
}
