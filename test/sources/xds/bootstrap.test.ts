import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCode, InvalidConfigError } from '../../../src/errors';
import { loadBootstrap } from '../../../src/sources/xds/bootstrap';

const ISTIO = {
  xds_servers: [{ server_uri: 'unix:///etc/istio/XDS', channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
  node: {
    id: 'sidecar~10.1.2.3~myapp-7d9f.default~default.svc.cluster.local',
    metadata: { GENERATOR: 'grpc', NAMESPACE: 'default', INSTANCE_IPS: '10.1.2.3', LABELS: { app: 'myapp' } },
  },
  certificate_providers: { default: { plugin_name: 'file_watcher', config: { certificate_file: '/c.pem', refresh_interval: '900s' } } },
  server_listener_resource_name_template: 'xds.istio.io/grpc/lds/inbound/%s',
};

function rejects(input: unknown, field: string): void {
  assert.throws(
    () => loadBootstrap(input as object),
    (e: unknown) => e instanceof InvalidConfigError && e.code === ErrorCode.INVALID_BOOTSTRAP && e.field === field,
  );
}

describe('xDS bootstrap', () => {
  it('accepts the Istio proxyless bootstrap unchanged (no locality)', () => {
    const b = loadBootstrap(ISTIO);
    assert.equal(b.xdsServers[0]!.serverUri, 'unix:///etc/istio/XDS');
    assert.deepEqual(b.xdsServers[0]!.channelCreds, { type: 'insecure' });
    assert.equal(b.node.id.split('~').length, 4);
    assert.equal(b.node.metadata.GENERATOR, 'grpc');
    assert.equal(b.node.locality, undefined);
    assert.equal(b.clientDefaultListenerResourceNameTemplate, '%s');
    assert.equal(b.certificateProviders.default!.plugin_name, 'file_watcher');
  });

  it('reads GRPC_XDS_BOOTSTRAP before GRPC_XDS_BOOTSTRAP_CONFIG', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-bootstrap-'));
    const file = path.join(dir, 'bootstrap.json');
    fs.writeFileSync(file, JSON.stringify(ISTIO));
    const other = { ...ISTIO, xds_servers: [{ server_uri: 'other:1', channel_creds: [{ type: 'insecure' }] }] };
    assert.equal(loadBootstrap(undefined, { GRPC_XDS_BOOTSTRAP: file, GRPC_XDS_BOOTSTRAP_CONFIG: JSON.stringify(other) }).xdsServers[0]!.serverUri, 'unix:///etc/istio/XDS');
    assert.equal(loadBootstrap(undefined, { GRPC_XDS_BOOTSTRAP_CONFIG: JSON.stringify(other) }).xdsServers[0]!.serverUri, 'other:1');
    assert.equal(loadBootstrap(file).node.cluster, '');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('picks the first supported channel creds and reads tls config', () => {
    const b = loadBootstrap({
      xds_servers: [{ server_uri: 'x:1', channel_creds: [{ type: 'google_default' }, { type: 'tls', config: { ca_certificate_file: '/ca.pem' } }] }],
    });
    assert.deepEqual(b.xdsServers[0]!.channelCreds, { type: 'tls', caCertificateFile: '/ca.pem' });
  });

  it('reports every problem as MESH_ERR_INVALID_BOOTSTRAP naming the key', () => {
    rejects(42, '');
    rejects({}, 'xds_servers');
    rejects({ xds_servers: [{}] }, 'xds_servers[0].server_uri');
    rejects({ xds_servers: [{ server_uri: 'unix://host/XDS', channel_creds: [{ type: 'insecure' }] }] }, 'xds_servers[0].server_uri');
    rejects({ xds_servers: [{ server_uri: 'istiod:99999', channel_creds: [{ type: 'insecure' }] }] }, 'xds_servers[0].server_uri');
    rejects({ xds_servers: [{ server_uri: 'x', channel_creds: [{ type: 'google_default' }] }] }, 'xds_servers[0].channel_creds');
    rejects({ xds_servers: [{ server_uri: 'x', channel_creds: [{ type: 'insecure' }], server_features: [1] }] }, 'xds_servers[0].server_features');
    rejects({ ...ISTIO, node: { id: 7 } }, 'node.id');
    rejects({ ...ISTIO, node: { locality: { zone: 1 } } }, 'node.locality.zone');
    rejects({ ...ISTIO, certificate_providers: { a: {} } }, 'certificate_providers.a.plugin_name');
    assert.throws(() => loadBootstrap('{ not json'), (e: unknown) => e instanceof InvalidConfigError && e.field === 'bootstrap');
    assert.throws(() => loadBootstrap('/nonexistent/bootstrap.json'), (e: unknown) => e instanceof InvalidConfigError && e.code === ErrorCode.INVALID_BOOTSTRAP);
    assert.throws(() => loadBootstrap(undefined, {}), (e: unknown) => e instanceof InvalidConfigError && e.code === ErrorCode.INVALID_BOOTSTRAP);
  });
});
