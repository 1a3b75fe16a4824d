/**
 * The gallery as the API serves it: the template summaries with a thumbnail each (drawn once from
 * the default preset's document and cached: a template does not change while the app runs), and
 * documents built on request.
 */
import type { OpenedDocument, TemplateSummary } from '../../api/studio-api.js';
import { HostError } from '../errors.js';
import { renderThumbnail } from './thumbnail-svg.js';
import type { TemplateSource } from './template-source.js';
import type { TemplateOptions } from '../../../templates/types.js';

export class TemplateCatalog {
  private summaries: TemplateSummary[] | null = null;

  constructor(private readonly source: TemplateSource) {}

  list(): TemplateSummary[] {
    this.summaries ??= this.source.list().map((t) => ({
      id: t.id,
      label: t.label,
      description: t.description,
      ...(t.paper ? { paper: { ...t.paper } } : {}),
      presets: t.presets.map((p) => ({ ...p })),
      ...(t.options ? { options: t.options.map((o) => ({ ...o })) } : {}),
      thumbnail: this.thumbnail(t.id),
    }));
    return this.summaries;
  }

  load(id: string, preset?: string, options?: TemplateOptions): OpenedDocument {
    if (!this.source.list().some((t) => t.id === id)) throw new HostError('invalid-params', `unknown template "${id}"`);
    try {
      return { file: null, document: this.source.build(id, preset, options) };
    } catch (e) {
      throw new HostError('invalid-params', (e as Error).message);
    }
  }

  /** A template whose document cannot be built still appears in the gallery, without a picture. */
  private thumbnail(id: string): string | undefined {
    try {
      return renderThumbnail(this.source.build(id));
    } catch {
      return undefined;
    }
  }
}
