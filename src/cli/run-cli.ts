import type { CliCommand, CliIo } from './cli-io';
import { controlPlaneCommand } from './commands/control-plane-command';
import { dumpCommand } from './commands/dump-command';
import { validateCommand } from './commands/validate-command';

/** Every command, by name. */
export const COMMANDS: readonly CliCommand[] = [validateCommand, dumpCommand, controlPlaneCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: sidecarless <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "sidecarless <command> --help" for the options of a command.',
  ].join('\n');
}

/** Runs `sidecarless <argv…>`; resolves to the process exit code (0 ok, 1 failure, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`sidecarless: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`sidecarless ${name}: ${(error as Error).message}\n\n${command.help}\n`);
      return 2;
    }
    io.err(`sidecarless ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}
