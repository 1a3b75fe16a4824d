/**
 * Binds the command table to the keyboard. Single keys (Delete, Enter, F, /) act on the canvas, so
 * they are ignored while the focus is in a text field, on a button or inside a dialog, where those
 * keys already mean something; shortcuts with ⌘/Ctrl or Alt work everywhere but in text fields.
 */
import { useEffect } from 'react';
import { COMMANDS } from './commands.js';
import { matchesHotkey, parseHotkey } from './hotkey.js';

const bindings = COMMANDS.filter((c) => !c.viaClipboardEvent).flatMap((c) => c.keys.map((k) => ({ command: c, hotkey: parseHotkey(k), plain: !/(^|\+)(mod|ctrl|meta|alt)\+/i.test(k) })));

const INTERACTIVE = 'button, a[href], [role="button"], [role="menuitem"], [role="tab"], [role="option"], [role="switch"], [role="checkbox"], [role="separator"], summary';

/** A field where keys type text (the app's shortcuts leave those keys alone). */
export function isTextField(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'range'].includes((el as HTMLInputElement).type);
}

export function handleShortcut(event: KeyboardEvent): boolean {
  const target = event.target instanceof Element ? event.target : null;
  if (isTextField(target)) return false;
  for (const b of bindings) {
    if (!matchesHotkey(b.hotkey, event)) continue;
    if (b.plain && target && (target.closest(INTERACTIVE) || target.closest('[role="dialog"]'))) return false;
    event.preventDefault();
    b.command.run();
    return true;
  }
  return false;
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => void handleShortcut(e);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
