/**
 * A small fluent helper for writing graph bodies in code: composite blocks and templates read as a
 * list of layers instead of hand-written node and edge arrays. It lives in core because composite
 * blocks (core) expand with it; `templates/builder.ts` re-exports it.
 */
import type { EdgeSpec, GraphBody, NodeSpec } from './schema.js';

export interface PortRef {
  readonly node: string;
  readonly port?: string;
}

/** One step of a chain: node id, block, parameters. */
export type ChainStep = readonly [id: string, block: string, params?: Record<string, unknown>];

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly edges: EdgeSpec[] = [];
  private readonly used = new Set<string>();

  /** Adds a node (id made unique if taken) fed by `inputs` (port name → source); returns its output. */
  add(id: string, block: string, params: Record<string, unknown> = {}, inputs: Record<string, PortRef> | PortRef = {}): PortRef {
    let unique = id;
    for (let i = 2; this.used.has(unique); i++) unique = `${id}_${i}`;
    this.used.add(unique);
    this.nodes.push(Object.keys(params).length > 0 ? { id: unique, block, params } : { id: unique, block });
    const byPort: Record<string, PortRef> = 'node' in inputs ? { in: inputs as PortRef } : (inputs as Record<string, PortRef>);
    for (const [targetPort, src] of Object.entries(byPort)) {
      this.edges.push({
        source: src.node,
        ...(src.port && src.port !== 'out' ? { sourcePort: src.port } : {}),
        target: unique,
        ...(targetPort !== 'in' ? { targetPort } : {}),
      });
    }
    return { node: unique };
  }

  /** A chain: each step feeds the next. */
  chain(from: PortRef, steps: readonly ChainStep[]): PortRef {
    let at = from;
    for (const [id, block, params] of steps) at = this.add(id, block, params ?? {}, at);
    return at;
  }

  /** A port node of a composite body (or the document input): `input` named `name`. */
  input(name: string): PortRef {
    return this.add(name, 'input', { name });
  }

  /** An output port node named `name`, fed by `from`. */
  output(name: string, from: PortRef): void {
    this.add(name, 'output', { name }, from);
  }

  body(): GraphBody {
    return { nodes: [...this.nodes], edges: [...this.edges] };
  }
}
