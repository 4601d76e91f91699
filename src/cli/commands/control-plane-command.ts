import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { allEndpoints } from '../../model/cluster';
import type { MeshSnapshot } from '../../model/mesh-snapshot';
import { FileSource } from '../../sources/file/file-source';
import { NacosServer, type AdminInstance } from '../../testing/nacos-server';
import { XdsControlPlane } from '../../testing/xds-control-plane';
import type { CliCommand, CliIo } from '../cli-io';

const HELP = `Usage: sidecarless control-plane <mesh.yaml> [options]

Serves a mesh file over xDS (ADS, state-of-the-world and delta) and as a
Nacos-2.x-compatible registry (every cluster endpoint is an instance of a
service named after its cluster), and re-serves it whenever the file changes.
An invalid edit is reported and the last good state keeps serving.
A development and test server, not a production control plane. Stops on
SIGINT/SIGTERM.

Options:
  --host <addr>        address to listen on (default 127.0.0.1)
  --xds-port <n>       xDS port (default 18000; 0 picks a free one)
  --nacos-port <n>     Nacos HTTP port, gRPC on port + 1000 (default 8848; 0 picks a free one)
  --no-nacos           serve xDS only
  -h, --help           show this help`;

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw Object.assign(new Error(`--${name}: must be 0..65535, got ${value}`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  return n;
}

/** Nacos instances for a snapshot: each cluster is a service, each endpoint an instance. */
function instancesOf(snapshot: MeshSnapshot): AdminInstance[] {
  const out: AdminInstance[] = [];
  for (const cluster of snapshot.clusters.values()) {
    for (const e of allEndpoints(cluster)) {
      out.push({ serviceName: cluster.name, ip: e.host, port: e.port, weight: e.weight, healthy: e.health === 'HEALTHY' || e.health === 'UNKNOWN', metadata: e.labels });
    }
  }
  return out;
}

/** `sidecarless control-plane mesh.yaml`. */
export const controlPlaneCommand: CliCommand = {
  name: 'control-plane',
  summary: 'serve a watched mesh file over xDS and Nacos (development/test)',
  help: HELP,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        host: { type: 'string' },
        'xds-port': { type: 'string' },
        'nacos-port': { type: 'string' },
        'no-nacos': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(HELP + '\n');
      return 0;
    }
    if (positionals.length !== 1) {
      io.err('sidecarless control-plane: expected exactly one mesh file\n\n' + HELP + '\n');
      return 2;
    }
    const host = values.host ?? '127.0.0.1';
    const xdsPort = port(values['xds-port'], 18000, 'xds-port');
    const nacosPort = port(values['nacos-port'], 8848, 'nacos-port');
    const file = new FileSource({ path: positionals[0]! });
    const problems: string[] = [];
    file.on('rejected', (e) => problems.push(e.message));
    file.on('error', (e) => problems.push(e.message));
    await file.start();
    if (!file.synced) {
      io.err(`sidecarless control-plane: ${problems.join('; ') || 'cannot read the mesh file'}\n`);
      await file.close();
      return 1;
    }
    file.removeAllListeners();
    const xds = new XdsControlPlane({ host, port: xdsPort, snapshot: file.snapshot });
    const nacos = values['no-nacos'] ? undefined : new NacosServer({ host, port: nacosPort, useGrpcPortOffset: nacosPort === 0 });
    let registered: AdminInstance[] = [];
    const publish = (snapshot: MeshSnapshot): void => {
      xds.setSnapshot(snapshot);
      if (nacos === undefined) return;
      for (const i of registered) nacos.deregisterInstance(i);
      registered = instancesOf(snapshot);
      for (const i of registered) nacos.registerInstance(i);
    };
    try {
      await xds.start();
      if (nacos !== undefined) await nacos.start();
      publish(file.snapshot);
      io.out(`xDS control plane on ${xds.address}` + (nacos ? `; Nacos on ${nacos.address}` : '') + `; serving ${positionals[0]} (version ${file.snapshot.version})\n`);
      file.on('changed', (snapshot) => {
        publish(snapshot);
        io.out(`applied ${positionals[0]} version ${snapshot.version}\n`);
      });
      file.on('rejected', (e) => io.err(`rejected an invalid edit (the last good state keeps serving): ${e.message}\n`));
      file.on('error', (e) => io.err(`${e.message}\n`));
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      return 0;
    } finally {
      await file.close();
      await xds.stop();
      await nacos?.close();
    }
  },
};
