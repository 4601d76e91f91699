import { systemClock, type Clock } from '../../clock';
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { ErrorCode, MeshError } from '../../errors';
import { EMPTY_SNAPSHOT, type MeshSnapshot } from '../../model/mesh-snapshot';
import type { Source, SourceEvents, TargetStatus } from '../source';
import { parseMeshConfig } from './mesh-config';

/** The timers a {@link FileSource} uses (a subset of {@link Clock}); inject a fake one in tests. */
export type FileSourceClock = Pick<Clock, 'setTimeout' | 'clearTimeout'>;

/** Options of {@link FileSource}. */
export interface FileSourceOptions {
  /** Path of the mesh file (`.json` is read as JSON, anything else as YAML). */
  path: string;
  /**
   * Quiet time after the last change notification before the file is re-read, in ms (default 100).
   * Editors write a file in several steps; this reads it once, after the burst.
   */
  debounceMs?: number;
  /**
   * Interval of the stat poll that backs up `fs.watch`, in ms (default 500). `fs.watch` misses
   * changes on some file systems (network mounts, some containers) and when the directory is
   * replaced; the poll compares size, mtime and inode.
   */
  pollIntervalMs?: number;
  /** Timer functions (default: the global ones). */
  clock?: FileSourceClock;
}

const REAL_CLOCK: FileSourceClock = systemClock;

/**
 * The mesh-file source (scheme `file`): reads a mesh.yaml/JSON file (see docs/mesh-yaml.md) and
 * re-reads it when it changes. A valid edit emits `changed` (within `debounceMs` plus at most one
 * poll interval); an invalid edit emits `rejected` and the last good snapshot keeps serving; a
 * deleted or unreadable file emits `error` and keeps the last good snapshot until the file is back.
 */
export class FileSource extends EventEmitter<SourceEvents> implements Source {
  /** Always `file`. */
  readonly scheme = 'file';
  readonly #path: string;
  readonly #debounceMs: number;
  readonly #pollIntervalMs: number;
  readonly #clock: FileSourceClock;
  #snapshot: MeshSnapshot = EMPTY_SNAPSHOT;
  #synced = false;
  #started = false;
  #closed = false;
  #watcher: FSWatcher | undefined;
  #debounceTimer: unknown;
  #pollTimer: unknown;
  #statSignature: string | undefined;
  #reloading: Promise<void> | undefined;
  #reloadAgain = false;
  #fileMissing = false;
  #lastError: MeshError | undefined;
  #loadedAt: Date | undefined;
  readonly #watched = new Set<string>();

  constructor(options: FileSourceOptions) {
    super();
    if (typeof options?.path !== 'string' || options.path === '') {
      throw new MeshError(ErrorCode.INVALID_CONFIG, 'file.path: must be a non-empty string', { field: 'file.path' });
    }
    for (const key of ['debounceMs', 'pollIntervalMs'] as const) {
      const v = options[key];
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || (key === 'pollIntervalMs' && v === 0))) {
        throw new MeshError(ErrorCode.INVALID_CONFIG, `file.${key}: must be a ${key === 'debounceMs' ? 'non-negative' : 'positive'} integer`, {
          field: `file.${key}`,
        });
      }
    }
    this.#path = resolve(options.path);
    this.#debounceMs = options.debounceMs ?? 100;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#clock = options.clock ?? REAL_CLOCK;
  }

  /** Absolute path of the watched file. */
  get path(): string {
    return this.#path;
  }

  /** The last good snapshot. */
  get snapshot(): MeshSnapshot {
    return this.#snapshot;
  }

  /** True once the file was read successfully (or a cached snapshot was restored). */
  get synced(): boolean {
    return this.#synced;
  }

  /** Reads the file once, then starts watching it. Resolves after the first read, valid or not. */
  async start(): Promise<void> {
    if (this.#started || this.#closed) return;
    this.#started = true;
    await this.#reload();
    if (this.#closed) return;
    try {
      // Watch the directory, not the file: editors replace the file (rename), which ends a file watch.
      this.#watcher = fsWatch(dirname(this.#path), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(this.#path)) this.#scheduleReload();
      });
      this.#watcher.on('error', () => this.#closeWatcher());
    } catch {
      // The directory may not exist yet; the poll below still notices the file appearing.
    }
    this.#schedulePoll();
  }

  /** Returns `target` when the file defines a listener of that name; a `file:` URI tail is accepted. */
  watch(target: string): string | undefined {
    // Any name may appear in a later edit of the file, so every name is servable: the key is
    // returned even when the current snapshot lacks it (its status is then doesNotExist).
    const key = target.replace(/^\/+/, '');
    this.#watched.add(key);
    return key;
  }

  /** Forgets a watched target. */
  unwatch(target: string): void {
    this.#watched.delete(target.replace(/^\/+/, ''));
  }

  /** `exists` when the current file defines the listener, `requested` before the first read. */
  targetStatus(listenerKey: string): TargetStatus {
    if (this.#snapshot.listeners.has(listenerKey)) return 'exists';
    return this.#synced ? 'doesNotExist' : 'requested';
  }

  /** Serves a cached snapshot until the file is read; ignored once the source has its own state. */
  restore(snapshot: MeshSnapshot): void {
    if (this.#synced || this.#closed) return;
    this.#snapshot = snapshot;
    this.#synced = true;
    queueMicrotask(() => {
      if (!this.#closed && this.#snapshot === snapshot) this.emit('changed', snapshot);
    });
  }

  /** Path, version, sync state, last error and the names the file defines. */
  dump(): Record<string, unknown> {
    return {
      scheme: this.scheme,
      path: this.#path,
      version: this.#snapshot.version,
      synced: this.#synced,
      fileMissing: this.#fileMissing,
      loadedAt: this.#loadedAt?.toISOString(),
      lastError: this.#lastError
        ? { code: this.#lastError.code, field: this.#lastError.field, message: this.#lastError.message }
        : undefined,
      listeners: [...this.#snapshot.listeners.keys()],
      routeTables: [...this.#snapshot.routeTables.keys()],
      clusters: [...this.#snapshot.clusters.keys()],
      watched: [...this.#watched],
    };
  }

  /** Stops watching. Idempotent; the last snapshot stays readable. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeWatcher();
    this.#clock.clearTimeout(this.#debounceTimer);
    this.#clock.clearTimeout(this.#pollTimer);
    await this.#reloading;
  }

  #closeWatcher(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #scheduleReload(): void {
    if (this.#closed) return;
    this.#clock.clearTimeout(this.#debounceTimer);
    this.#debounceTimer = this.#clock.setTimeout(() => void this.#reload(), this.#debounceMs);
  }

  #schedulePoll(): void {
    if (this.#closed) return;
    this.#pollTimer = this.#clock.setTimeout(() => {
      void this.#statSignatureNow().then((signature) => {
        if (signature !== this.#statSignature) this.#scheduleReload();
        this.#schedulePoll();
      });
    }, this.#pollIntervalMs);
  }

  async #statSignatureNow(): Promise<string> {
    try {
      const s = await stat(this.#path);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  /** Reads and applies the file; concurrent requests collapse into one extra read. */
  #reload(): Promise<void> {
    if (this.#reloading) {
      this.#reloadAgain = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      try {
        do {
          this.#reloadAgain = false;
          await this.#readAndApply();
        } while (this.#reloadAgain && !this.#closed);
      } finally {
        this.#reloading = undefined;
      }
    })();
    return this.#reloading;
  }

  async #readAndApply(): Promise<void> {
    this.#statSignature = await this.#statSignatureNow();
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (err) {
      if (this.#closed) return;
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (this.#fileMissing && code === 'ENOENT') return; // already reported
      this.#fileMissing = code === 'ENOENT';
      this.#report(
        'error',
        new MeshError(
          ErrorCode.SOURCE_FAILURE,
          `${this.#path}: cannot read the mesh file (${code}); ${this.#synced ? 'the last good state keeps serving' : 'no state yet'}`,
          { field: 'file.path', cause: err },
        ),
      );
      return;
    }
    if (this.#closed) return;
    this.#fileMissing = false;
    let next: MeshSnapshot;
    try {
      next = parseMeshConfig(text, { source: this.#path });
    } catch (err) {
      const error =
        err instanceof MeshError ? err : new MeshError(ErrorCode.INVALID_CONFIG, String(err), { cause: err });
      this.#report('rejected', error);
      return;
    }
    this.#lastError = undefined;
    this.#loadedAt = new Date();
    const unchanged = this.#synced && next.version === this.#snapshot.version;
    this.#synced = true;
    if (unchanged) return;
    this.#snapshot = next;
    this.emit('changed', next);
  }

  #report(event: 'error' | 'rejected', error: MeshError): void {
    this.#lastError = error;
    this.emit(event, error);
  }
}
