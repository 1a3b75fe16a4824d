// The pickle reader's UTF-8 decoder (core has no TextDecoder) against the platform's own strict TextDecoder, on valid text of every
// sequence length and on each kind of malformed input.
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../engine/core/export/import/pickle.js';

const platform = new TextDecoder('utf-8', { fatal: true });

describe('decodeUtf8', () => {
  it('decodes one- to four-byte sequences as TextDecoder does', () => {
    for (const text of ['', 'state_dict', 'Größe', 'スパイク', 'neuron 🧠 spikes', 'x'.repeat(10_000) + '€']) {
      const bytes = new TextEncoder().encode(text);
      expect(decodeUtf8(bytes)).toBe(platform.decode(bytes));
    }
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong two-byte form', [0xc0, 0xaf]],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a sequence cut short', [0x61, 0xe2, 0x82]],
    ['a missing continuation', [0xe2, 0x41, 0x82]],
  ])('refuses %s, as TextDecoder does', (_name, bytes) => {
    const b = new Uint8Array(bytes);
    expect(() => platform.decode(b)).toThrow();
    expect(() => decodeUtf8(b)).toThrow(URIError);
  });
});
