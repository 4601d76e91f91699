import diagnosticsChannel from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import type { MeshSourceErrorEvent, MeshUpdateEvent } from './mesh-client';

/**
 * `node:diagnostics_channel` channels the client publishes on, for APMs and tests that observe a
 * process without a reference to its client. Messages are the event payloads (no secrets).
 */
export const diagnosticsChannels = Object.freeze({
  /** A source's update was applied: {@link MeshUpdateEvent}. */
  update: diagnosticsChannel.channel('sidecarless:update'),
  /** An invalid update was rejected: {@link MeshSourceErrorEvent}. */
  rejected: diagnosticsChannel.channel('sidecarless:rejected'),
  /** A source or cache problem: {@link MeshSourceErrorEvent}. */
  error: diagnosticsChannel.channel('sidecarless:error'),
});

const trace = debuglog('sidecarless');

/** Publishes an applied update and traces it under `NODE_DEBUG=sidecarless`. */
export function reportUpdate(event: MeshUpdateEvent): void {
  if (diagnosticsChannels.update.hasSubscribers) diagnosticsChannels.update.publish(event);
  trace('update from %s: version %s', event.source, event.version);
}

/** Publishes a rejected update or a source error and traces it under `NODE_DEBUG=sidecarless`. */
export function reportProblem(kind: 'rejected' | 'error', event: MeshSourceErrorEvent): void {
  const channel = diagnosticsChannels[kind];
  if (channel.hasSubscribers) channel.publish(event);
  trace('%s from %s: %s %s', kind, event.source, event.error.code, event.error.message);
}
