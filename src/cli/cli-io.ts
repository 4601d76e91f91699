/** Where a CLI command writes; the process streams in `main`, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** One `sidecarless <command>`. */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
