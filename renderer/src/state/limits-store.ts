/**
 * The limits on what a document may expand to (nodes, largest tensor, parameters, activation
 * bytes), as this user set them: an app preference remembered in this profile, never part of the
 * document, so a file cannot raise its own limits. Unset limits keep core's defaults. The canvas's
 * analysis and every host call that builds a model use the same values.
 */
import { create } from 'zustand';
import { limitsSchema, type LimitOverrides } from '../../../engine/api/studio-api.js';
import { DEFAULT_LIMITS, type Limits } from '../../../engine/core/limits/limits.js';

const STORAGE_KEY = 'snn-studio.limits';

interface LimitsState {
  readonly overrides: LimitOverrides;
  /** The defaults with the overrides: what analysis checks against. */
  readonly limits: Limits;
}

export const useLimitsStore = create<LimitsState>()(() => stateOf(stored()));

/** Sets one limit (`undefined`: back to its default); a value that is not a positive number is refused. */
export function setLimit(name: keyof Limits, value: number | undefined): void {
  const next: Record<string, number> = { ...useLimitsStore.getState().overrides };
  if (value === undefined || value === DEFAULT_LIMITS[name]) delete next[name];
  else next[name] = value;
  const parsed = limitsSchema.safeParse(next);
  if (!parsed.success) throw new RangeError(`limit ${name} must be a positive number`);
  useLimitsStore.setState(stateOf(parsed.data));
  try {
    if (Object.keys(parsed.data).length === 0) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, JSON.stringify(parsed.data));
  } catch {
    // storage disabled: the limits last for this window
  }
}

/** What a host call that builds the model carries (spread into its params): the overrides, or nothing at the defaults. */
export function limitsParam(): { limits?: LimitOverrides } {
  const { overrides } = useLimitsStore.getState();
  return Object.keys(overrides).length > 0 ? { limits: overrides } : {};
}

function stateOf(overrides: LimitOverrides): LimitsState {
  return { overrides, limits: { ...DEFAULT_LIMITS, ...overrides } };
}

/** What this profile remembered, if it still fits the schema (an edited or older entry is dropped, not half-used). */
function stored(): LimitOverrides {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw === null) return {};
    const parsed = limitsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
