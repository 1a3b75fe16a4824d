/** The side and bottom panels, collapsible from commands (⌘B, ⌘I, ⌘J) as well as by dragging. */
import type { PanelImperativeHandle } from 'react-resizable-panels';

export type PanelId = 'palette' | 'inspector' | 'bottom';

const handles = new Map<PanelId, PanelImperativeHandle>();

export function registerPanel(id: PanelId, handle: PanelImperativeHandle | null): void {
  if (handle) handles.set(id, handle);
  else handles.delete(id);
}

export function togglePanel(id: PanelId): void {
  const h = handles.get(id);
  if (!h) return;
  if (h.isCollapsed()) h.expand();
  else h.collapse();
}

/** Expands the panel (if collapsed) and grows it to at least `minPixels` (a tab that needs room, such as Run). */
export function ensurePanelSize(id: PanelId, minPixels: number): void {
  const h = handles.get(id);
  if (!h) return;
  if (h.isCollapsed()) h.expand();
  if (h.getSize().inPixels < minPixels) h.resize(minPixels);
}
