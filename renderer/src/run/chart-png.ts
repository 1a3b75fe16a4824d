/**
 * A chart as a PNG a paper or a report can take: uPlot draws the plot and its axes on a canvas,
 * while the title and the legend are page elements, so they are drawn again around a copy of it.
 */
import type uPlot from 'uplot';
import type { LegendKey } from './chart-model.js';
import { keyColour } from './chart-colours.js';

const TITLE_H = 22;
const KEY_H = 16;

/** A data URL (image/png) of the chart with its title and legend. */
export function chartPng(u: uPlot, title: string, keys: readonly LegendKey[], dark: boolean): string {
  const plot = u.ctx.canvas;
  const ratio = plot.width / Math.max(1, u.width);
  const width = plot.width;
  const legendRows = legendLayout(u.ctx, keys, width / ratio);
  const out = document.createElement('canvas');
  out.width = width;
  out.height = plot.height + Math.round((TITLE_H + legendRows.length * KEY_H + 6) * ratio);
  const ctx = out.getContext('2d')!;
  ctx.scale(ratio, ratio);
  ctx.fillStyle = dark ? '#1f2024' : '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = dark ? '#e9ecef' : '#1f2328';
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillText(title, 8, TITLE_H / 2);
  ctx.drawImage(plot, 0, TITLE_H, plot.width / ratio, plot.height / ratio);
  ctx.font = '10px system-ui, sans-serif';
  legendRows.forEach((row, r) => {
    const y = TITLE_H + plot.height / ratio + 4 + r * KEY_H + KEY_H / 2;
    for (const { s, x } of row) {
      ctx.strokeStyle = keyColour(s);
      ctx.lineWidth = 2;
      ctx.setLineDash(s.dashed ? [4, 3] : []);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + 14, y);
      ctx.stroke();
      ctx.fillStyle = dark ? '#c1c2c5' : '#495057';
      ctx.fillText(s.label, x + 18, y);
    }
  });
  return out.toDataURL('image/png');
}

/** Legend keys placed left to right, wrapping at the chart's width. */
function legendLayout(ctx: CanvasRenderingContext2D, keys: readonly LegendKey[], width: number): { s: LegendKey; x: number }[][] {
  ctx.save();
  ctx.font = '10px system-ui, sans-serif';
  const rows: { s: LegendKey; x: number }[][] = [[]];
  let x = 8;
  for (const s of keys) {
    const w = 18 + ctx.measureText(s.label).width + 12;
    if (x + w > width && rows[rows.length - 1]!.length > 0) {
      rows.push([]);
      x = 8;
    }
    rows[rows.length - 1]!.push({ s, x });
    x += w;
  }
  ctx.restore();
  return rows;
}
