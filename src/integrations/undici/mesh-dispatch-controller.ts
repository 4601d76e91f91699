import type { Dispatcher } from 'undici';

/** What the stable controller asks of the request it belongs to. */
export interface ControllerOwner {
  /** The downstream handler aborted the request. */
  abortRequest(reason: Error): void;
}

/**
 * The controller the downstream handler keeps for the whole logical request. Each attempt (first
 * try, retries) has its own connection controller; this one forwards pause/resume to the current
 * attempt and keeps a pause across the switch. Hand-written because undici does not export the one
 * its retry handler uses.
 */
export class MeshDispatchController implements Dispatcher.DispatchController {
  readonly #owner: ControllerOwner;
  #target: Dispatcher.DispatchController | undefined;
  #paused = false;
  #reason: Error | null = null;

  constructor(owner: ControllerOwner) {
    this.#owner = owner;
  }

  /** The current attempt's controller; undefined between attempts. */
  set target(target: Dispatcher.DispatchController | undefined) {
    this.#target = target;
    if (this.#paused) target?.pause();
  }

  get aborted(): boolean {
    return this.#reason !== null;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get reason(): Error | null {
    return this.#reason;
  }

  abort(reason: Error): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    this.#owner.abortRequest(reason);
  }

  pause(): void {
    this.#paused = true;
    this.#target?.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#target?.resume();
  }
}
