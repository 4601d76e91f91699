/** Size of the gRPC message prefix: a compressed flag byte and a 4-byte big-endian length. */
export const GRPC_PREFIX_BYTES = 5;

/** Wraps one serialised message in gRPC's length-prefixed framing (uncompressed). */
export function frameGrpcMessage(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(GRPC_PREFIX_BYTES + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, GRPC_PREFIX_BYTES);
  return out;
}

/**
 * Cuts an HTTP/2 DATA byte stream into gRPC messages (length-prefixed framing, gRPC's
 * PROTOCOL-HTTP2 "Length-Prefixed-Message"). A message split over many chunks (a multi-megabyte
 * SotW response arrives in 16 KiB frames) is copied once, when its last byte arrives.
 */
export class GrpcMessageReader {
  /** Chunks of the message being read, with `#have` bytes in them (prefix included). */
  #parts: Buffer[] = [];
  #have = 0;
  /** Body length of the message being read, or -1 while its prefix is incomplete. */
  #need = -1;

  /**
   * Feeds one chunk; calls `onMessage` for every message it completes, in order.
   * @throws Error when a message is compressed (no encoding was negotiated, so none may be used).
   */
  push(chunk: Buffer, onMessage: (message: Buffer) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#need < 0) {
        // Fast path: a whole prefix in this chunk with nothing pending.
        if (this.#have === 0 && chunk.length - offset >= GRPC_PREFIX_BYTES) {
          this.#checkFlag(chunk[offset]!);
          this.#need = chunk.readUInt32BE(offset + 1);
          offset += GRPC_PREFIX_BYTES;
          if (chunk.length - offset >= this.#need) {
            onMessage(chunk.subarray(offset, offset + this.#need));
            offset += this.#need;
            this.#need = -1;
            continue;
          }
          this.#parts.push(chunk.subarray(offset));
          this.#have = chunk.length - offset;
          return;
        }
        // The prefix itself is split: gather its bytes.
        const take = Math.min(GRPC_PREFIX_BYTES - this.#have, chunk.length - offset);
        this.#parts.push(chunk.subarray(offset, offset + take));
        this.#have += take;
        offset += take;
        if (this.#have < GRPC_PREFIX_BYTES) return;
        const prefix = Buffer.concat(this.#parts, GRPC_PREFIX_BYTES);
        this.#checkFlag(prefix[0]!);
        this.#need = prefix.readUInt32BE(1);
        this.#parts = [];
        this.#have = 0;
        if (this.#need === 0) {
          onMessage(Buffer.alloc(0));
          this.#need = -1;
        }
        continue;
      }
      const take = Math.min(this.#need - this.#have, chunk.length - offset);
      this.#parts.push(chunk.subarray(offset, offset + take));
      this.#have += take;
      offset += take;
      if (this.#have === this.#need) {
        const message = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#have);
        this.#parts = [];
        this.#have = 0;
        this.#need = -1;
        onMessage(message);
      }
    }
  }

  /** True when bytes of an unfinished message are held (the stream ended mid-message). */
  get pending(): boolean {
    return this.#have > 0 || this.#need >= 0;
  }

  #checkFlag(flag: number): void {
    if (flag !== 0) throw new Error(`received a ${flag === 1 ? 'compressed' : `flag ${flag}`} message; no message encoding was negotiated`);
  }
}
