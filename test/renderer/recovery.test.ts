/** The gallery offers autosaved work only when it is not the document already open. */
import { describe, expect, it } from 'vitest';
import { recoveryDiffers } from '../../renderer/src/gallery/recovery.js';
import { cnn } from './fixtures.js';

describe('recoveryDiffers', () => {
  it('is false for the open document, whatever the key order of the autosaved copy', () => {
    const open = cnn();
    const copy = JSON.parse(JSON.stringify(open)) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(copy).reverse());
    expect(recoveryDiffers(reordered, open)).toBe(false);
  });

  it('is true once the open document is another one or was edited since', () => {
    const open = cnn();
    const autosaved = { ...open, nodes: open.nodes.map((n) => (n.id === 'fc' ? { ...n, params: { outFeatures: 5 } } : n)) };
    expect(recoveryDiffers(autosaved, open)).toBe(true);
    expect(recoveryDiffers(open, { ...open, name: 'other' })).toBe(true);
  });
});
