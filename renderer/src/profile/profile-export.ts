/**
 * A profile out of the app: CSV written where the user chooses (purpose `metrics`, as run metrics
 * are), JSON copied to the clipboard (the host writes only .csv and .png artifacts).
 */
import type { ProfileResult } from '../../../engine/api/studio-api.js';
import { profileCsv } from '../../../engine/core/profile/export.js';
import { errorMessage, studio } from '../api.js';
import { choosePath, fileStem } from '../run/choose-path.js';
import { notify } from '../state/view-store.js';

export async function exportProfileCsv(result: ProfileResult): Promise<void> {
  try {
    const target = await choosePath('metrics', `${fileStem(result.profile.name)}-profile.csv`);
    if (!target) return;
    const written = await studio().writeArtifact({ path: target.path, kind: 'metrics', data: profileCsv(result.profile) });
    notify('info', `Wrote ${written.name}`);
  } catch (e) {
    notify('error', `Could not write the profile: ${errorMessage(e)}`);
  }
}

export async function copyProfileJson(result: ProfileResult): Promise<void> {
  try {
    await navigator.clipboard.writeText(JSON.stringify(result, null, 1));
    notify('info', 'Profile JSON copied to the clipboard');
  } catch (e) {
    notify('error', `Could not copy the profile: ${errorMessage(e)}`);
  }
}
