/**
 * A checkpoint file that cannot be read as written. The message starts with the file and, where the
 * fault sits at a place in the file, the byte offset: `run/epoch-3.safetensors: truncated at byte
 * 4096: expected 8192 bytes (data of tensor "fc.weight")`.
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  /** Set when the file is valid JSON of some other format: not a checkpoint at all, rather than a damaged one. */
  foreign = false;

  constructor(
    readonly file: string,
    message: string,
    readonly offset?: number,
  ) {
    super(`${file}: ${message}`);
  }

  static at(file: string, offset: number, message: string): CheckpointError {
    return new CheckpointError(file, `at byte ${offset}: ${message}`, offset);
  }

  static truncated(file: string, actualLength: number, expected: number, what: string): CheckpointError {
    return new CheckpointError(file, `truncated at byte ${actualLength}: expected ${expected} bytes (${what})`, actualLength);
  }
}
