/** Shortcuts as people read them: `⌘⇧S` on macOS, `Ctrl+Shift+S` elsewhere. */
const MAC: Record<string, string> = { mod: '⌘', ctrl: '⌃', alt: '⌥', shift: '⇧', meta: '⌘' };
const PC: Record<string, string> = { mod: 'Ctrl', ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift', meta: 'Win' };
const NAMES: Record<string, string> = { arrowup: '↑', arrowdown: '↓', arrowleft: '←', arrowright: '→', minus: '-', escape: 'Esc', delete: 'Del', backspace: '⌫', enter: 'Enter' };

export function keyParts(hotkey: string, mac: boolean): string[] {
  const names = mac ? MAC : PC;
  return hotkey.split('+').map((part) => {
    const lower = part.toLowerCase();
    if (lower === 'shift' && hotkey.toLowerCase().endsWith('+?')) return '';
    return names[lower] ?? NAMES[lower] ?? (part.length === 1 ? part.toUpperCase() : part);
  }).filter((p) => p !== '');
}

export function keyLabel(hotkey: string, mac: boolean): string {
  return keyParts(hotkey, mac).join(mac ? '' : '+');
}
