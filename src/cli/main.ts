#!/usr/bin/env node
/**
 * The `sidecarless` command line: `validate`, `dump`, `control-plane`. Run `sidecarless --help`.
 * @packageDocumentation
 */
import { runCli } from './run-cli';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sidecarless: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
