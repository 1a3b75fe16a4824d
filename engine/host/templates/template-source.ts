/**
 * Where the gallery's templates come from: templates/index.ts. The host talks to this small
 * interface only, so that tests can hand it other templates (a broken one, a slow one).
 */
import type { GraphDocument } from '../../core/document/schema.js';
import { buildTemplate, listTemplates } from '../../../templates/index.js';
import type { TemplateInfo, TemplateOptions } from '../../../templates/types.js';

export interface TemplateSource {
  list(): readonly TemplateInfo[];
  /** The document of one preset (the first when `preset` is absent); throws on an unknown id, preset or option. */
  build(id: string, preset?: string, options?: TemplateOptions): GraphDocument;
}

export const galleryTemplates: TemplateSource = { list: listTemplates, build: buildTemplate };
