/** The gallery templates as test seeds. */
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { buildTemplate, listTemplates } from '../../../templates/index.js';

export interface SeedDoc {
  readonly name: string;
  readonly doc: GraphDocument;
}

/** One document per chosen template preset; presets whose build throws are listed in `failed`. */
export function templateSeeds(choose: (templateId: string, preset: string, index: number) => boolean = () => true): { seeds: SeedDoc[]; failed: string[] } {
  const seeds: SeedDoc[] = [];
  const failed: string[] = [];
  for (const t of listTemplates()) {
    t.presets.forEach((p, i) => {
      if (!choose(t.id, p.name, i)) return;
      try {
        seeds.push({ name: `${t.id}/${p.name}`, doc: buildTemplate(t.id, p.name) });
      } catch (e) {
        failed.push(`${t.id}/${p.name}: ${(e as Error).message}`);
      }
    });
  }
  return { seeds, failed };
}
