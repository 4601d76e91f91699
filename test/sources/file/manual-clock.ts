/** A clock whose timers run only when the test fires them. */
export class ManualClock {
  readonly timers = new Map<number, { cb: () => void; ms: number }>();
  #id = 0;
  #waiters: Array<{ ms: number; resolve: () => void }> = [];
  setTimeout(cb: () => void, ms: number): unknown {
    const id = ++this.#id;
    this.timers.set(id, { cb, ms });
    this.#waiters = this.#waiters.filter((w) => (w.ms === ms ? (w.resolve(), false) : true));
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  pending(ms: number): boolean {
    return [...this.timers.values()].some((t) => t.ms === ms);
  }
  /** Resolves once a timer of `ms` is armed. */
  armed(ms: number): Promise<void> {
    return this.pending(ms) ? Promise.resolve() : new Promise((resolve) => this.#waiters.push({ ms, resolve }));
  }
  fire(ms: number): void {
    for (const [id, t] of [...this.timers]) {
      if (t.ms === ms) {
        this.timers.delete(id);
        t.cb();
      }
    }
  }
}
