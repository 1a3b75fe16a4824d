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
import type { Template, TemplateInfo } from './types.js';

export type { PaperRef, PresetInfo, TemplateInfo } from './types.js';

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

/** The document of a template's preset (its first preset when none is named). */
export function buildTemplate(id: string, preset?: string): GraphDocument {
  const template = TEMPLATES.find((t) => t.id === id);
  if (!template) throw new UnknownTemplateError(`unknown template "${id}"; templates: ${TEMPLATES.map((t) => t.id).join(', ')}`);
  const chosen = preset === undefined ? template.presets[0] : template.presets.find((p) => p.name === preset);
  if (!chosen) throw new UnknownTemplateError(`template "${id}" has no preset "${preset}"; presets: ${template.presets.map((p) => p.name).join(', ')}`);
  return template.build(chosen);
}

/** An unknown template id or preset name; the message lists the valid ones. */
export class UnknownTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownTemplateError';
  }
}
