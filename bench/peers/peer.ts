/**
 * The PyTorch peer as a long-lived process (bench/peers/infer_peer.py --serve): it loads the
 * network once, and then runs batches of forward passes on request, so that the benchmark can
 * alternate between ONNX Runtime and PyTorch and expose both to the same machine load.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface PeerInfo {
  readonly threads: number;
  readonly torch: string;
  readonly blas: string;
  readonly omp_wait_policy: string;
}

export class PeerProcess {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private stderr = '';
  private exited: string | null = null;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.lines.push(line);
    });
    child.stderr.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString('utf8')).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = `exited (code ${code}, signal ${signal}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w('');
      }
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(python: string, script: string, args: readonly string[]): Promise<{ peer: PeerProcess; info: PeerInfo }> {
    // GNU OpenMP's default spin-wait makes torch's 2 OpenMP threads fight OpenBLAS's 2 pthreads for
    // 2 cores (Spikformer-4-384 at batch 1: 2.2 s instead of 0.17 s); the peer runs at its best
    const env = { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' };
    const peer = new PeerProcess(spawn(python, [script, ...args, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'], env }));
    const info = (await peer.next()) as PeerInfo & { ready?: boolean };
    if (!info.ready) throw new Error(`PyTorch peer did not start: ${JSON.stringify(info)}`);
    return { peer, info };
  }

  /** Runs `n` forward passes; their times in ms. */
  async runs(n: number): Promise<number[]> {
    this.send({ runs: n });
    return ((await this.next()) as { times_ms: number[] }).times_ms;
  }

  /** Writes the last logits (float32, C order) to `path`. */
  async writeOutput(path: string): Promise<void> {
    this.send({ out: path });
    await this.next();
  }

  stop(): void {
    if (this.exited) return;
    try {
      this.send({ quit: true });
      this.child.stdin.end();
    } catch {
      // already gone
    }
    setTimeout(() => {
      if (!this.exited) this.child.kill();
    }, 2000).unref();
  }

  private send(msg: unknown): void {
    if (this.exited) throw new Error(`PyTorch peer ${this.exited}`);
    this.child.stdin.write(JSON.stringify(msg) + '\n');
  }

  private async next(): Promise<unknown> {
    const line = this.lines.shift() ?? (this.exited ? '' : await new Promise<string>((resolve) => (this.waiting = resolve)));
    if (!line) throw new Error(`PyTorch peer ${this.exited ?? 'sent an empty line'}`);
    return JSON.parse(line) as unknown;
  }
}
