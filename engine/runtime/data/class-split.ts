/**
 * The deterministic train/test split for sources that ship without one (the digits package, image
 * and event folders): within each class, the first part (in a stable order) trains and the rest
 * tests, so the split never depends on a seed and a test sample never leaks into training. The
 * resulting lists interleave the classes round-robin, so that an unshuffled pass (evaluation, a
 * preview) sees every class early instead of a thousand zeros first.
 */
export interface SampleRef {
  /** Class index. */
  cls: number;
  /** Index of the sample within its class. */
  index: number;
}

export interface ClassSplit {
  train: SampleRef[];
  test: SampleRef[];
}

/** `counts[c]` samples in class c; `testFraction` of each class (rounded) goes to the test split. */
export function splitByClass(counts: readonly number[], testFraction: number): ClassSplit {
  if (!(testFraction >= 0 && testFraction < 1)) throw new RangeError(`testFraction must be in [0, 1), got ${testFraction}`);
  const trainLists: SampleRef[][] = [];
  const testLists: SampleRef[][] = [];
  counts.forEach((n, cls) => {
    const nTrain = n - Math.round(n * testFraction);
    const refs = Array.from({ length: n }, (_, index) => ({ cls, index }));
    trainLists.push(refs.slice(0, nTrain));
    testLists.push(refs.slice(nTrain));
  });
  return { train: interleave(trainLists), test: interleave(testLists) };
}

function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let k = 0; k < longest; k++) {
    for (const list of lists) if (k < list.length) out.push(list[k]!);
  }
  return out;
}
