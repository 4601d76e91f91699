import { systemClock, type Clock } from '../clock';
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, MeshError } from '../errors';
import type { MeshSnapshot } from '../model/mesh-snapshot';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec';

/** The timers a {@link LastGoodStore} uses (a subset of {@link Clock}); inject a fake one in tests. */
export type LastGoodStoreClock = Pick<Clock, 'setTimeout' | 'clearTimeout'>;

/** Options of {@link LastGoodStore}. */
export interface LastGoodStoreOptions {
  /**
   * Delay between the first save of a burst and the write, in ms (default 200). Every save in
   * that window is coalesced: only the latest snapshot per source is written, once. The delay is
   * not restarted by later saves, so a constant stream of updates still reaches the disk.
   */
  writeDelayMs?: number;
  /** Timer functions (default: the global ones, unref'd so they never keep the process alive). */
  clock?: LastGoodStoreClock;
}

/** What {@link LastGoodStore.load} found. */
export type LastGoodLoad =
  | { readonly snapshot: MeshSnapshot; readonly savedAt: Date; readonly error?: undefined }
  /** No usable snapshot: none was saved (`error` undefined), or the file is corrupt (`error` says why). */
  | { readonly snapshot: undefined; readonly savedAt?: undefined; readonly error?: MeshError };

const REAL_CLOCK: LastGoodStoreClock = systemClock;

interface PendingSave {
  snapshot: MeshSnapshot;
  done: Array<(error: MeshError | undefined) => void>;
}

/**
 * The last good snapshot of each source on disk (`cacheDir`), so a restart can serve before any
 * control plane answers. Writes are atomic (temp file in the same directory, fsync, rename), so a
 * crash leaves the old file or the new one, never half of one. Reads never throw: a corrupt file is
 * reported in the result and otherwise ignored.
 */
export class LastGoodStore {
  readonly #dir: string;
  readonly #delayMs: number;
  readonly #clock: LastGoodStoreClock;
  readonly #pending = new Map<string, PendingSave>();
  #timer: unknown;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(cacheDir: string, options: LastGoodStoreOptions = {}) {
    if (typeof cacheDir !== 'string' || cacheDir === '') {
      throw new MeshError(ErrorCode.INVALID_CONFIG, 'cacheDir: must be a non-empty string', { field: 'cacheDir' });
    }
    const delay = options.writeDelayMs ?? 200;
    if (!Number.isInteger(delay) || delay < 0) {
      throw new MeshError(ErrorCode.INVALID_CONFIG, 'cacheDir.writeDelayMs: must be a non-negative integer', {
        field: 'cacheDir.writeDelayMs',
      });
    }
    this.#dir = cacheDir;
    this.#delayMs = delay;
    this.#clock = options.clock ?? REAL_CLOCK;
  }

  /** The file that holds a source's snapshot: a readable slug of the key plus a hash of it. */
  fileFor(sourceKey: string): string {
    const slug = sourceKey.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64);
    const hash = createHash('sha256').update(sourceKey).digest('hex').slice(0, 12);
    return join(this.#dir, `${slug}.${hash}.snapshot.json`);
  }

  /**
   * Schedules `snapshot` to be written as the last good state of `sourceKey`. Resolves once it (or
   * a later snapshot of the same source that replaced it) is on disk, with undefined, or with a
   * `MESH_ERR_CACHE_WRITE_FAILED` error; never rejects.
   */
  save(sourceKey: string, snapshot: MeshSnapshot): Promise<MeshError | undefined> {
    if (this.#closed) return Promise.resolve(new MeshError(ErrorCode.CLOSED, 'the last-good store is closed'));
    return new Promise((resolve) => {
      const entry = this.#pending.get(sourceKey);
      if (entry) {
        entry.snapshot = snapshot;
        entry.done.push(resolve);
      } else {
        this.#pending.set(sourceKey, { snapshot, done: [resolve] });
      }
      this.#timer ??= this.#clock.setTimeout(() => void this.flush(), this.#delayMs);
    });
  }

  /** Writes every pending snapshot now. */
  flush(): Promise<void> {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending];
    this.#pending.clear();
    // Writes are serialized so an older snapshot can never be renamed over a newer one.
    this.#writing = this.#writing.then(async () => {
      for (const [key, entry] of batch) {
        const error = await this.#write(key, entry.snapshot);
        for (const done of entry.done) done(error);
      }
    });
    return this.#writing;
  }

  /** The last good snapshot of `sourceKey`; never throws. */
  async load(sourceKey: string): Promise<LastGoodLoad> {
    const file = this.fileFor(sourceKey);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { snapshot: undefined };
      return { snapshot: undefined, error: corruptFile(file, `cannot be read (${(err as NodeJS.ErrnoException).code})`, err) };
    }
    try {
      const decoded = decodeSnapshot(text);
      if (decoded.sourceKey !== sourceKey) {
        return { snapshot: undefined, error: corruptFile(file, `belongs to source "${decoded.sourceKey}"`) };
      }
      return { snapshot: decoded.snapshot, savedAt: decoded.savedAt };
    } catch (err) {
      const e = err as MeshError;
      return { snapshot: undefined, error: corruptFile(file, e.message, err, e.field) };
    }
  }

  /** Writes what is pending, then refuses further saves. Idempotent. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      await this.flush();
    }
    await this.#writing;
  }

  async #write(sourceKey: string, snapshot: MeshSnapshot): Promise<MeshError | undefined> {
    const file = this.fileFor(sourceKey);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(this.#dir, { recursive: true });
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(encodeSnapshot(snapshot, sourceKey), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
      await syncDirectory(this.#dir);
      return undefined;
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      return new MeshError(
        ErrorCode.CACHE_WRITE_FAILED,
        `${file}: cannot write the last-good snapshot (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        { cause: err },
      );
    }
  }
}

function corruptFile(file: string, problem: string, cause?: unknown, field?: string): MeshError {
  return new MeshError(ErrorCode.CACHE_CORRUPT, `${file}: ignored, ${problem}`, { cause, ...(field ? { field } : {}) });
}

/** Makes the rename durable. Not every platform can open a directory (Windows): best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file itself is synced; only the rename's durability across power loss is at stake.
  }
}
