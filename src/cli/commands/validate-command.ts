import { parseArgs } from 'node:util';
import { MeshError } from '../../errors';
import { loadMeshConfigFile } from '../../sources/file/mesh-config';
import type { CliCommand, CliIo } from '../cli-io';

const HELP = `Usage: sidecarless validate <mesh.yaml|mesh.json>

Parses and validates a mesh file with the same parser the file source uses.
Prints a summary and exits 0 when it is valid; prints the error, naming the
offending field (or line and column), and exits 1 when it is not.

Options:
  --json       print the result as JSON
  -h, --help   show this help`;

/** `sidecarless validate mesh.yaml`. */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'validate a mesh.yaml / mesh.json file',
  help: HELP,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(HELP + '\n');
      return 0;
    }
    if (positionals.length !== 1) {
      io.err('sidecarless validate: expected exactly one file\n\n' + HELP + '\n');
      return 2;
    }
    const file = positionals[0]!;
    try {
      const snapshot = await loadMeshConfigFile(file);
      const summary = {
        valid: true,
        file,
        version: snapshot.version,
        listeners: [...snapshot.listeners.keys()],
        routeTables: snapshot.routeTables.size,
        clusters: [...snapshot.clusters.keys()],
      };
      if (values.json) io.out(JSON.stringify(summary, null, 2) + '\n');
      else io.out(`${file}: valid (${summary.listeners.length} listeners: ${summary.listeners.join(', ') || 'none'}; ${summary.clusters.length} clusters: ${summary.clusters.join(', ') || 'none'})\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof MeshError)) throw error;
      if (values.json) io.out(JSON.stringify({ valid: false, file, code: error.code, field: error.field ?? null, message: error.message }, null, 2) + '\n');
      else io.err(`${file}: invalid: ${error.message}\n` + (error.field ? `  field: ${error.field}\n` : ''));
      return 1;
    }
  },
};
