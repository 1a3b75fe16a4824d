/**
 * `snn-studio <command>`: the command table. Each command module exports `run(argv) → exit code`;
 * user errors (CliError) print one clear message without a stack trace.
 */
import { CliError, err, out } from './io.js';

type Command = { readonly summary: string; readonly load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  validate: { summary: 'check a graph document; located errors on stderr', load: () => import('./commands/validate.js') },
  info: { summary: 'per-node shapes, value kinds, parameters and MACs (--json for scripts)', load: () => import('./commands/info.js') },
  compile: { summary: 'compile a document to an ONNX inference model (-o model.onnx)', load: () => import('./commands/compile.js') },
  infer: { summary: 'run a model or document on an image/.npy: class scores and the predicted class', load: () => import('./commands/infer.js') },
  templates: { summary: 'list the template gallery and its presets', load: () => import('./commands/templates.js') },
  new: { summary: 'start a document from a template (new <template> [--preset P] -o file)', load: () => import('./commands/new.js') },
  train: { summary: 'train a document or template on ONNX Runtime (--data, --epochs, --json, --resume, ...)', load: () => import('./commands/train.js') },
  eval: { summary: 'test accuracy and firing rates of a checkpoint (eval <doc> --checkpoint <ckpt>)', load: () => import('./commands/eval.js') },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out('usage: snn-studio <command> [options]\n');
    for (const [n, c] of Object.entries(COMMANDS)) out(`  ${n.padEnd(10)} ${c.summary}`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (e) {
    if (e instanceof CliError) {
      err(e.message);
      return e.exitCode;
    }
    if (e instanceof Error && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      err(e.message);
      return 2;
    }
    throw e;
  }
}
