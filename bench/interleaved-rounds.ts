import { median } from './bench-result';

/** One way of making a call, measured against the others. */
export interface ThroughputSide {
  readonly name: string;
  /** Makes one call and resolves when it is complete (response body read). */
  call(): Promise<unknown>;
}

/** Options of {@link measureInterleaved}. */
export interface InterleavedOptions {
  /** Calls in flight at any time, per side. */
  readonly concurrency: number;
  /** Length of one side's turn in a round, in ms. */
  readonly turnMs: number;
  readonly rounds: number;
  /** Untimed turn per side before the first round (JIT, connection pools). */
  readonly warmupMs: number;
}

/** What one side measured: medians over the rounds. */
export interface SideFigures {
  /** Completed calls per second. */
  readonly rps: number;
  /** This process's CPU time (user + system) per completed call, in µs. */
  readonly cpuUsPerCall: number;
  /** Per round: this side's rate / the first side's rate in the same round (1 for the first side). */
  readonly ratioToFirst: number;
}

interface Turn {
  rps: number;
  cpuUsPerCall: number;
}

/** Runs `call` with `concurrency` loops for `ms`. */
async function turn(side: ThroughputSide, concurrency: number, ms: number): Promise<Turn> {
  let completed = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + ms;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await side.call();
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { rps: completed / seconds, cpuUsPerCall: (used.user + used.system) / completed };
}

/**
 * Measures each side in alternating turns: every round gives each side one turn of `turnMs`, the
 * order rotating between rounds, so a change in machine load (the benchmark may share its CPUs)
 * hits the sides alike. The ratio to the first side is taken per round (adjacent turns) before
 * the median, which cancels slow drift that would skew a ratio of medians.
 */
export async function measureInterleaved(sides: readonly ThroughputSide[], options: InterleavedOptions): Promise<SideFigures[]> {
  for (const side of sides) await turn(side, options.concurrency, options.warmupMs);
  const turns: Turn[][] = sides.map(() => []);
  for (let r = 0; r < options.rounds; r++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (r + k) % sides.length;
      // A minor GC: each turn starts with an empty young generation, so one side's garbage is not
      // collected in the other's turn. Not a full GC: that also frees hidden classes that optimised
      // code depends on (undici's request() gives every options object a class of its own on
      // Node 20), so V8 discards that code and each 0.5 s turn would measure re-optimisation.
      (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc?.({ type: 'minor' });
      turns[i]!.push(await turn(sides[i]!, options.concurrency, options.turnMs));
    }
  }
  return turns.map((t) => ({
    rps: median(t.map((x) => x.rps)),
    cpuUsPerCall: median(t.map((x) => x.cpuUsPerCall)),
    ratioToFirst: median(t.map((x, r) => x.rps / turns[0]![r]!.rps)),
  }));
}
