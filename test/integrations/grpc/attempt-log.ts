import type { CallOutcome } from '../../../src/balancing/balancer';
import type { MeshClient } from '../../../src/client/mesh-client';
import type { PickResult } from '../../../src/client/pick-result';
import type { RequestContext } from '../../../src/routing/request-context';

/** One pick the gRPC integration made: which call (its routing context), where, and how it ended. */
export interface Attempt {
  readonly ctx: RequestContext;
  /** The picked endpoint's port; undefined for a failed pick. */
  readonly port: number | undefined;
  outcome?: CallOutcome;
}

/**
 * A spy around a real MeshClient: every `pick` the integration makes, and every `done` it reports,
 * in order. The integration reuses one routing context per call, so attempts group by `ctx`.
 */
export class AttemptLog {
  readonly attempts: Attempt[] = [];
  readonly #mesh: MeshClient;
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(mesh: MeshClient) {
    this.#mesh = mesh;
  }

  /** What to register instead of the client. */
  get mesh(): Pick<MeshClient, 'pick' | 'ready'> {
    return {
      ready: (targets, options) => this.#mesh.ready(targets, options),
      pick: (target, ctx) => this.#pick(target, ctx),
    };
  }

  #pick(target: string, ctx: RequestContext | undefined): PickResult {
    const result = this.#mesh.pick(target, ctx);
    const attempt: Attempt = { ctx: ctx ?? {}, port: result.ok ? result.endpoint.port : undefined };
    this.attempts.push(attempt);
    if (!result.ok) return result;
    return {
      ...result,
      done: (outcome?: CallOutcome) => {
        result.done(outcome);
        attempt.outcome ??= outcome ?? { ok: true };
        this.#wake();
      },
    };
  }

  /** Resolves once `count` attempts have ended (reported `done`). */
  ended(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push({ count, resolve });
      this.#wake();
    });
  }

  #wake(): void {
    const n = this.attempts.filter((a) => a.outcome !== undefined).length;
    this.#waiters = this.#waiters.filter((w) => (w.count <= n ? (w.resolve(), false) : true));
  }

  /** The ports of each call's attempts, calls in the order of their first pick. */
  byCall(): number[][] {
    const calls = new Map<RequestContext, number[]>();
    for (const a of this.attempts) {
      let ports = calls.get(a.ctx);
      if (ports === undefined) calls.set(a.ctx, (ports = []));
      ports.push(a.port ?? -1);
    }
    return [...calls.values()];
  }
}
