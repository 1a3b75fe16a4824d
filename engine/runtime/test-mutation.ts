/**
 * The one place SNN_TEST_MUTATION is read (test/mutation/README.md): it switches on a deliberate
 * engine fault (engine/core/mutation.ts) so the mutation check can see which tests catch it.
 * Imported by session.ts, which every ONNX Runtime run goes through. Unset, nothing is switched on.
 */
import { setMutation } from '../core/mutation.js';

setMutation(process.env.SNN_TEST_MUTATION);
