/**
 * Matching a key event against a shortcut written as `mod+shift+S` (`mod` is ⌘ or Ctrl). Keys are
 * compared by the character they produce, so `shift+?` and `mod+=` work on any keyboard layout
 * that has those characters.
 */
export interface Hotkey {
  readonly mod: boolean;
  readonly ctrl: boolean;
  readonly meta: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly key: string;
}

const ALIASES: Record<string, string> = { minus: '-', plus: '+', space: ' ', esc: 'escape', del: 'delete' };

export function parseHotkey(text: string): Hotkey {
  const parts = text.toLowerCase().split('+');
  const key = parts.filter((p) => !['mod', 'ctrl', 'meta', 'alt', 'shift'].includes(p)).pop() ?? '';
  return {
    mod: parts.includes('mod'),
    ctrl: parts.includes('ctrl'),
    meta: parts.includes('meta'),
    alt: parts.includes('alt'),
    shift: parts.includes('shift'),
    key: ALIASES[key] ?? key,
  };
}

export function matchesHotkey(h: Hotkey, e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  if (h.mod ? !(e.ctrlKey || e.metaKey) : e.ctrlKey !== h.ctrl || e.metaKey !== h.meta) return false;
  if (e.altKey !== h.alt || e.shiftKey !== h.shift) return false;
  return e.key.toLowerCase() === h.key;
}
