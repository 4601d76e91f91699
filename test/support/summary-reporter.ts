import Mocha from 'mocha';

/**
 * The dot reporter plus one closing line `N passed, N failed[, N skipped]` that any CI can read,
 * whatever test runner it knows.
 */
class SummaryReporter extends Mocha.reporters.Dot {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      if (s === undefined) return;
      const skipped = s.pending > 0 ? `, ${s.pending} skipped` : '';
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed${skipped}\n`);
    });
  }
}

export = SummaryReporter;
