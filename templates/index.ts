/**
 * The template gallery: every template, its presets, and the document of a preset. This is what the
 * host's `listTemplates`/`loadTemplate`, `snn-studio templates` and `snn-studio new` use.
 */
import type { GraphDocument } from '../engine/core/document/schema.js';
import { autoSpikformer } from './auto-spikformer.js';
import { cmlSpikformer } from './cml-spikformer.js';
import { hybrid } from './hybrid.js';
import { lifCnnTemplate } from './lif-cnn.js';
import { metaSpikeformer } from './meta-spikeformer.js';
import { psn } from './psn.js';
import { qkformer } from './qkformer.js';
import { sdt } from './sdt.js';
import { spikedhs } from './spikedhs.js';
import { spikformer } from './spikformer.js';
import { spikformerV2 } from './spikformer-v2.js';
import { cmlSpikingformer, spikingformer } from './spikingformer.js';
import type { Template, TemplateInfo, TemplateOptions } from './types.js';

export type { PaperRef, PresetInfo, TemplateInfo, TemplateOption, TemplateOptions } from './types.js';

const TEMPLATES: readonly Template[] = [
  lifCnnTemplate,
  spikformer,
  qkformer,
  spikformerV2,
  sdt,
  metaSpikeformer,
  spikingformer,
  cmlSpikformer,
  cmlSpikingformer,
  autoSpikformer,
  spikedhs,
  psn,
  hybrid,
];

/** The gallery as plain JSON: ids, descriptions, papers and presets (the first preset is the default). */
export function listTemplates(): TemplateInfo[] {
  return TEMPLATES.map(({ build: _build, ...info }) => info);
}

/** The document of a template's preset (its first preset when none is named), with `options` switched on. */
export function buildTemplate(id: string, preset?: string, options: TemplateOptions = {}): GraphDocument {
  const template = TEMPLATES.find((t) => t.id === id);
  if (!template) throw new UnknownTemplateError(`unknown template "${id}"; templates: ${TEMPLATES.map((t) => t.id).join(', ')}`);
  const chosen = preset === undefined ? template.presets[0] : template.presets.find((p) => p.name === preset);
  if (!chosen) throw new UnknownTemplateError(`template "${id}" has no preset "${preset}"; presets: ${template.presets.map((p) => p.name).join(', ')}`);
  const offered = (template.options ?? []).map((o) => o.name);
  const unknown = Object.keys(options).filter((name) => !offered.includes(name));
  if (unknown.length > 0) {
    throw new UnknownTemplateError(
      `template "${id}" has no option "${unknown[0]}"; ${offered.length === 0 ? 'it takes no options' : `options: ${offered.join(', ')}`}`,
    );
  }
  return template.build(chosen, options);
}

/** A template reference as the CLI takes it: `id`, `id:preset`, and `+option` for each option on (`qkformer:hst-4-384+releasedCode`). */
export interface TemplateRef {
  readonly id: string;
  readonly preset?: string;
  readonly options: TemplateOptions;
}

export function parseTemplateRef(ref: string): TemplateRef {
  const [head, ...on] = ref.split('+');
  const [id, preset] = head!.split(':') as [string, string | undefined];
  return { id, ...(preset === undefined || preset === '' ? {} : { preset }), options: Object.fromEntries(on.map((name) => [name, true])) };
}

/** An unknown template id or preset name; the message lists the valid ones. */
export class UnknownTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownTemplateError';
  }
}
