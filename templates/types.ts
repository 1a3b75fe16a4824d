/**
 * What a gallery template is: a family of documents from one paper, one per preset. The summary
 * (`TemplateInfo`, plain JSON) is what the gallery and `snn-studio templates` list; `build` makes
 * the document of one preset.
 */
import type { GraphDocument } from '../engine/core/document/schema.js';

export interface PaperRef {
  readonly title: string;
  readonly venue: string;
  readonly year: number;
  readonly link: string;
}

/** A preset as the gallery lists it. Reported numbers are the paper's (null where it gives none). */
export interface PresetInfo {
  /** Lower-case id: the paper's config name (`4-384`, `hst-10-768`) plus a dataset suffix, or `tiny`. */
  readonly name: string;
  readonly label: string;
  /** The paper's name for the model (`Spikformer-4-384`). */
  readonly config: string;
  readonly dataset: string;
  readonly timeSteps: number;
  readonly reportedTop1: number | null;
  /** Parameter count as the paper (or its released log) reports it. */
  readonly params: number | null;
  readonly energyMj?: number;
  readonly sopsG?: number;
}

/**
 * A switch a template offers on every preset: where the released code differs from the paper
 * (QKFormer's `releasedCode`), off builds the paper's form.
 */
export interface TemplateOption {
  readonly name: string;
  readonly label: string;
  readonly description: string;
}

/** The options chosen for a build, by name; an absent option is off. */
export type TemplateOptions = Readonly<Record<string, boolean>>;

export interface TemplateInfo {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** Absent for SNN Studio's own examples. */
  readonly paper?: PaperRef;
  /** The first preset is the default. */
  readonly presets: readonly PresetInfo[];
  /** Switches every preset takes (none when absent). */
  readonly options?: readonly TemplateOption[];
}

export interface Template extends TemplateInfo {
  /** `options` holds only names from `options`, checked by the gallery (templates/index.ts). */
  build(preset: PresetInfo, options?: TemplateOptions): GraphDocument;
}
