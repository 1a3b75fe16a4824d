/**
 * Layout checks on the rendered canvas, shared by the end-to-end tests: blocks whose boxes
 * overlap, and canvas text drawn under 9 px at the current zoom.
 */
import type { Page } from 'playwright-core';

/** Pairs of blocks whose drawn boxes overlap on screen. */
export async function overlappingNodes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => ({ id: n.dataset.id ?? '', r: n.getBoundingClientRect() }));
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push(`${boxes[i]!.id} × ${boxes[j]!.id}`);
      }
    return out;
  });
}

/** Visible text on the canvas drawn under 9 px (font size times the zoom), as `size px "text"`. */
export async function smallCanvasText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
    const zoom = viewport ? new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a : 1;
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__viewport *, .react-flow__edgelabel-renderer *')) {
      const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if (text === '') continue;
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || r.width === 0 || r.height === 0) continue;
      const px = parseFloat(style.fontSize) * zoom;
      if (px < 9) out.push(`${px.toFixed(1)} px "${text.slice(0, 30)}"`);
    }
    return out.slice(0, 10);
  });
}
