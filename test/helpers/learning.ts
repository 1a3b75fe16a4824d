/**
 * ONNX Runtime's intra-op threads for every learning test (tiny presets, the CLI runs). Fixed, not
 * the cores the machine has free: the thread count splits ORT's sums, so a run that followed the
 * load would round differently from one run to the next, and its accuracy would move with it.
 */
export const LEARNING_THREADS = 2;
