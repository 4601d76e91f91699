// Drives a fixed number of calls at a fixed concurrency and shows a live progress line: one line
// rewritten with `\r` when stdout is a terminal, one plain line per phase otherwise (CI logs, pipes).
'use strict';

const tty = process.stdout.isTTY === true;
const BAR = 20;

function pct(n, total) {
  return total === 0 ? '  -  ' : `${((100 * n) / total).toFixed(1)}%`;
}

/** `HTTP 2000: v1  90.1% v2   9.9%` for one protocol's counts. */
function splitText(name, c) {
  const shares = Object.keys(c.versions)
    .sort()
    .map((v) => `${v} ${pct(c.versions[v], c.ok).padStart(6)}`);
  return `${name} ${String(c.ok + c.failed).padStart(4)}: ${shares.join(' ')}${c.failed ? `  FAILED ${c.failed}` : ''}`;
}

/**
 * Runs `total` calls, `concurrency` at a time. `call(i)` resolves with `{ protocol, version }`
 * (protocol `HTTP` or `gRPC`, version as the backend reported it) or rejects; `onCall(i)` runs before call i
 * (the outage phase kills the control plane from there). Resolves with counts per protocol and
 * the first error message.
 */
async function runLoad({ label, total, concurrency = 32, call, onCall }) {
  const counts = { HTTP: { ok: 0, failed: 0, versions: {} }, gRPC: { ok: 0, failed: 0, versions: {} } };
  let next = 0;
  let done = 0;
  let firstError;
  let lastDraw = 0;
  const line = () => {
    const filled = Math.round((done / total) * BAR);
    const parts = Object.entries(counts)
      .filter(([, c]) => c.ok + c.failed > 0)
      .map(([name, c]) => splitText(name, c));
    return `  ${label.padEnd(24)} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(done).padStart(5)}/${total}  ${parts.join(' | ')}`;
  };
  const draw = (final) => {
    if (tty) {
      const now = Date.now();
      if (!final && now - lastDraw < 40) return;
      lastDraw = now;
      // Cut to the terminal width: a wrapped line could not be rewritten in place.
      const width = (process.stdout.columns ?? 120) - 1;
      process.stdout.write(final ? `\r\x1b[K${line()}\n` : `\r\x1b[K${line().slice(0, width)}`);
    } else if (final) {
      process.stdout.write(`${line()}\n`);
    }
  };
  async function worker() {
    while (next < total) {
      const i = next++;
      if (onCall) await onCall(i);
      try {
        const { protocol, version } = await call(i);
        const c = counts[protocol];
        c.ok++;
        c.versions[version] = (c.versions[version] ?? 0) + 1;
      } catch (error) {
        const protocol = error.protocol ?? 'HTTP';
        counts[protocol].failed++;
        firstError ??= `${protocol}: ${error.cause?.message ?? error.message}`;
      }
      done++;
      draw(false);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  draw(true);
  return { counts, firstError };
}

module.exports = { runLoad };
