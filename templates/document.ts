/**
 * The parts every template document shares: the input and its encoder, the classifier ends, the
 * token-map bookkeeping between hierarchical stages, and the assembled document with its `meta`
 * (paper, config, reported results) and `training` (the paper's recipe).
 */
import type { CompositeDef, GraphDocument, TrainingSettings } from '../engine/core/document/schema.js';
import { GraphBuilder, type PortRef } from './builder.js';
import type { DatasetInput } from './datasets.js';
import type { PaperRef, PresetInfo, TemplateOptions } from './types.js';

/** The input node and its encoder: direct encoding for images, event frames for DVS data. */
export function encodedInput(g: GraphBuilder, data: DatasetInput): PortRef {
  return g.add('encoder', data.encoder, {}, g.add('input', 'input'));
}

/** Spikformer-style readout: mean over tokens, mean over T, Linear (non-spiking logits). */
export function meanHead(g: GraphBuilder, tokens: PortRef, classes: number, init: 'default' | 'trunc_normal'): void {
  const pooled = g.chain(tokens, [
    ['mean_tokens', 'mean_tokens'],
    ['mean_time', 'mean_time'],
    ['head', 'head', { classes, ...(init !== 'default' ? { init } : {}) }],
  ]);
  g.add('output', 'output', {}, pooled);
}

/** Side of a square map after MaxPool(3,2,1) or a stride-2 conv with 'same' padding. */
export function halved(side: number): number {
  return Math.floor((side - 1) / 2) + 1;
}

export interface DocumentParts {
  readonly template: { readonly id: string; readonly paper?: PaperRef };
  readonly preset: PresetInfo;
  readonly name: string;
  readonly description: string;
  readonly data: DatasetInput;
  readonly graph: GraphBuilder;
  readonly training: TrainingSettings;
  /** Blocks defined by the document itself (an assumed stem, say), openable like any composite. */
  readonly composites?: Readonly<Record<string, CompositeDef>>;
  /** The template options switched on, recorded in the document's meta. */
  readonly options?: TemplateOptions;
}

export function templateDocument(parts: DocumentParts): GraphDocument {
  const { template, preset, data } = parts;
  const paper = template.paper;
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: parts.name,
    description: parts.description,
    timeSteps: preset.timeSteps,
    input: structuredClone(data.input),
    nodes: [...parts.graph.nodes],
    edges: [...parts.graph.edges],
    ...(parts.composites ? { composites: structuredClone(parts.composites) } : {}),
    training: { ...(data.spec ? { dataset: data.spec } : {}), ...parts.training },
    meta: {
      template: template.id,
      preset: preset.name,
      ...(parts.options && Object.values(parts.options).some(Boolean) ? { templateOptions: { ...parts.options } } : {}),
      ...(paper ? { paper: paper.title, venue: paper.venue, year: paper.year, link: paper.link } : {}),
      config: preset.config,
      T: preset.timeSteps,
      dataset: preset.dataset,
      reportedTop1: preset.reportedTop1,
      reportedParams: preset.params,
      ...(preset.energyMj !== undefined ? { reportedEnergyMj: preset.energyMj } : {}),
      ...(preset.sopsG !== undefined ? { reportedSopsG: preset.sopsG } : {}),
    },
  };
}
