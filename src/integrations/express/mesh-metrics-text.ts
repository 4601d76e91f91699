import type { ClusterStats } from '../../balancing/balancer';

/** Per-cluster counters as `MeshClient.stats()` returns them. */
export type SourcedClusterStats = ClusterStats & { readonly source: string };

interface Metric {
  readonly name: string;
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  readonly value: (s: SourcedClusterStats) => number;
}

// Names follow docs mtls-csds §4.5 (`<p>.upstream.*` with `<p>` = sidecarless), normalised the way
// the OpenTelemetry Prometheus exporter does: dots to `_`, counters end in `_total`.
const METRICS: readonly Metric[] = [
  { name: 'sidecarless_upstream_requests_total', type: 'counter', help: 'Requests sent to the cluster (picks that returned an endpoint).', value: (s) => s.requestsTotal },
  { name: 'sidecarless_upstream_request_failures_total', type: 'counter', help: 'Requests that ended in failure (5xx, gRPC error, transport error).', value: (s) => s.failuresTotal },
  { name: 'sidecarless_upstream_active_requests', type: 'gauge', help: 'Requests in flight.', value: (s) => s.inFlight },
  { name: 'sidecarless_upstream_circuit_breaker_overflows_total', type: 'counter', help: 'Picks refused by the circuit breaker (MESH_ERR_OVERLOADED).', value: (s) => s.overloadedTotal },
  { name: 'sidecarless_upstream_drops_total', type: 'counter', help: 'Requests dropped by drop_overloads (MESH_ERR_DROPPED).', value: (s) => s.droppedTotal },
  { name: 'sidecarless_upstream_no_endpoint_total', type: 'counter', help: 'Picks that found no usable endpoint (MESH_ERR_NO_ENDPOINT).', value: (s) => s.noEndpointTotal },
  { name: 'sidecarless_upstream_outlier_detection_ejections_active', type: 'gauge', help: 'Endpoints ejected by outlier detection.', value: (s) => s.ejected.length },
];

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * Renders cluster counters in the Prometheus text exposition format (version 0.0.4). Hand-written:
 * it is a few lines, and prom-client would be a forced dependency (DESIGN: metrics text).
 */
export function renderMeshMetrics(stats: readonly SourcedClusterStats[]): string {
  const lines: string[] = [];
  const labelsOf = stats.map((s) => `{sidecarless_cluster="${label(s.cluster)}",sidecarless_source="${label(s.source)}"}`);
  for (const m of METRICS) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    stats.forEach((s, i) => lines.push(`${m.name}${labelsOf[i]} ${m.value(s)}`));
  }
  const latency = 'sidecarless_upstream_request_duration_seconds';
  lines.push(`# HELP ${latency} Time from pick to the end of the call.`, `# TYPE ${latency} summary`);
  stats.forEach((s, i) => {
    lines.push(`${latency}_sum${labelsOf[i]} ${s.latencyMsSum / 1000}`, `${latency}_count${labelsOf[i]} ${s.requestsTotal - s.inFlight}`);
  });
  return lines.join('\n') + '\n';
}
