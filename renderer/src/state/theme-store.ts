/**
 * Light or dark: follows the system unless the user picked one (remembered in this profile).
 */
import { create } from 'zustand';

export type ThemeMode = 'auto' | 'light' | 'dark';

const STORAGE_KEY = 'snn-studio.theme';
const query = typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

function stored(): ThemeMode {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

interface ThemeState {
  readonly mode: ThemeMode;
  readonly systemDark: boolean;
}

export const useThemeStore = create<ThemeState>()(() => ({ mode: stored(), systemDark: query?.matches ?? false }));

query?.addEventListener('change', (e) => useThemeStore.setState({ systemDark: e.matches }));

export function resolvedScheme(s: ThemeState): 'light' | 'dark' {
  return s.mode === 'auto' ? (s.systemDark ? 'dark' : 'light') : s.mode;
}

export function setThemeMode(mode: ThemeMode): void {
  useThemeStore.setState({ mode });
  try {
    if (mode === 'auto') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    // storage disabled: the choice lasts for this window
  }
}

/** Flips to the opposite of what is shown now (an explicit choice from then on). */
export function toggleTheme(): void {
  setThemeMode(resolvedScheme(useThemeStore.getState()) === 'dark' ? 'light' : 'dark');
}
