/** The document parameters every spiking neuron shares: its surrogate, threshold and reset. */
import { z } from 'zod';
import type { SurrogateSpec } from './types.js';

export const surrogateSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('sigmoid'), alpha: z.number().positive().default(4) }),
  z.strictObject({ name: z.literal('atan'), alpha: z.number().positive().default(2) }),
  z.strictObject({ name: z.literal('piecewise_quadratic'), alpha: z.number().positive().default(1) }),
  z.strictObject({ name: z.literal('rectangle'), alpha: z.number().positive().default(1) }),
  z.strictObject({ name: z.literal('piecewise_leaky_relu'), w: z.number().positive().default(1), c: z.number().nonnegative().default(0.01) }),
  z.strictObject({ name: z.literal('dspike'), b: z.number().positive().default(3), c: z.number().default(0.3) }),
]);

export const SIGMOID4: SurrogateSpec = { name: 'sigmoid', alpha: 4 };

/** Common to IF/LIF/PLIF: the SpikingJelly 0.0.0.0.12 defaults, with detach_reset as every transformer here uses. */
export const resetParams = {
  threshold: z.number().positive().default(1),
  vReset: z.number().nullable().default(0),
  detachReset: z.boolean().default(true),
  surrogate: surrogateSchema.default(SIGMOID4),
};
