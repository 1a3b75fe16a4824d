/**
 * The primitive table: op name → shape rule, ONNX emission, VJP. Adding a primitive is adding a row
 * to one of the family modules below.
 */
import type { Primitive } from '../primitive.js';
import * as convWeightGrad from './conv-weight-grad.js';
import * as elementwise from './elementwise.js';
import * as gradient from './gradient.js';
import * as labels from './labels.js';
import * as layout from './layout.js';
import * as linalg from './linalg.js';
import * as norm from './norm.js';
import * as optim from './optim.js';
import * as pool from './pool.js';
import * as spiking from './spiking.js';

function rows(...families: Record<string, unknown>[]): ReadonlyMap<string, Primitive> {
  const table = new Map<string, Primitive>();
  for (const family of families) {
    for (const [name, row] of Object.entries(family)) {
      if (row && typeof row === 'object' && 'shape' in row && 'emit' in row) table.set(name, row as Primitive);
    }
  }
  return table;
}

const TABLE = rows(convWeightGrad, elementwise, gradient, labels, layout, linalg, norm, optim, pool, spiking);

export function primitive(op: string): Primitive {
  const row = TABLE.get(op);
  if (!row) throw new Error(`unknown IR primitive "${op}"`);
  return row;
}

export function primitiveNames(): string[] {
  return [...TABLE.keys()];
}
