/**
 * `snn-studio <command>`: the command table. Each command module exports `run(argv) → exit code`.
 * Every failure ends as one short message and an exit code per kind (EXIT in io.ts); `--debug`
 * (anywhere on the line) adds the stack trace.
 */
import { describeFailure } from './failure.js';
import { commandHelp, wantsHelp } from './help.js';
import { EXIT, err, out } from './io.js';

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
  export: { summary: 'export to onnx, pytorch (DDP train.py) or nir, after the export lint (export <doc> --format F -o OUT)', load: () => import('./commands/export.js') },
  import: { summary: 'published or exported weights (.pth state_dict, safetensors) onto a document: import <doc> --weights F -o run/', load: () => import('./commands/import.js') },
  profile: { summary: 'firing rates, synaptic ops, energy (paper/syops/neurobench) and time per node on test samples', load: () => import('./commands/profile.js') },
};

const EXIT_HELP =
  'exit codes: 0 ok, 1 invalid input (document, checkpoint, dataset, limit), 2 usage, 3 file I/O, 4 runtime failure, 130 interrupted; --debug prints stack traces';

const TEMPLATE_HELP =
  'a document argument is a file or a template reference template[:preset][+option], e.g. qkformer:hst-4-384+releasedCode (snn-studio templates lists them)';

export async function main(argv: string[]): Promise<number> {
  // a reader that stops early (`| head`) closes the pipe: that is the reader's choice, not a failure
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
  });
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv.filter((a) => a !== '--debug');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out('usage: snn-studio <command> [options] [--debug]\n');
    for (const [n, c] of Object.entries(COMMANDS)) out(`  ${n.padEnd(10)} ${c.summary}`);
    out(`\n${TEMPLATE_HELP}\n${EXIT_HELP}`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    err(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return EXIT.usage;
  }
  const help = commandHelp(name);
  if (help !== undefined && wantsHelp(rest)) {
    out(help);
    return EXIT.ok;
  }
  // a failure outside the command's own promise chain (a worker's error event, a stray rejection)
  // still ends as one line and the runtime exit code
  const stray = (e: unknown) => {
    report(e, name, debug);
    process.exit(describeFailure(e, name).code);
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);
  try {
    return await (await command.load()).run(rest);
  } catch (e) {
    return report(e, name, debug);
  }
}

function report(e: unknown, command: string, debug: boolean): number {
  const failure = describeFailure(e, command);
  err(failure.message);
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return failure.code;
}
