import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '../cli-io';

const HELP = `Usage: sidecarless dump <admin-url>

Fetches GET <admin-url>/config_dump from a service that mounts meshAdmin()
(sidecarless/express) and pretty-prints it. A URL already ending in
/config_dump is used as is.

Options:
  --timeout-ms <n>  give up after n ms (default 5000)
  -h, --help        show this help

Example:
  sidecarless dump http://127.0.0.1:8080/mesh`;

/** `sidecarless dump <admin-url>`. */
export const dumpCommand: CliCommand = {
  name: 'dump',
  summary: "print a running service's mesh state (GET <admin-url>/config_dump)",
  help: HELP,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { 'timeout-ms': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(HELP + '\n');
      return 0;
    }
    if (positionals.length !== 1) {
      io.err('sidecarless dump: expected exactly one admin URL\n\n' + HELP + '\n');
      return 2;
    }
    const timeoutMs = Number(values['timeout-ms'] ?? 5000);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      io.err(`sidecarless dump: --timeout-ms: must be a positive integer, got ${values['timeout-ms']}\n`);
      return 2;
    }
    let url: URL;
    try {
      url = new URL(positionals[0]!);
    } catch {
      io.err(`sidecarless dump: not a URL: ${positionals[0]}\n`);
      return 2;
    }
    if (!url.pathname.endsWith('/config_dump')) url.pathname = url.pathname.replace(/\/?$/, '/config_dump');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (!res.ok) {
        io.err(`sidecarless dump: GET ${url.href}: HTTP ${res.status}\n`);
        return 1;
      }
      io.out(JSON.stringify(JSON.parse(text), null, 2) + '\n');
      return 0;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      io.err(`sidecarless dump: GET ${url.href}: ${cause ?? (error as Error).message}\n`);
      return 1;
    }
  },
};
