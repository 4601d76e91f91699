import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

describe('xDS wire path without protobufjs', () => {
  it('encodes and decodes with the precompiled descriptor without loading protobufjs or long', () => {
    // A fresh process: this one has loaded protobufjs for the other tests.
    const protos = join(__dirname, '../../../../src/sources/xds/protos.js');
    const script = `
      const p = require(${JSON.stringify(protos)});
      const bytes = p.encodeMessage('envoy.service.discovery.v3.DiscoveryRequest', {
        version_info: '1', node: { id: 'n', metadata: { fields: { a: { stringValue: 'b' } } } },
        resource_names: ['x'], error_detail: { code: 3 },
      });
      const back = p.decodeMessage('envoy.service.discovery.v3.DiscoveryRequest', bytes);
      const loaded = Object.keys(require.cache).filter((k) => /[\\\\/](protobufjs|@protobufjs|long|@grpc[\\\\/]proto-loader)[\\\\/]/.test(k));
      process.stdout.write(JSON.stringify({ id: back.node.id, loaded }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { id: string; loaded: string[] };
    assert.equal(out.id, 'n');
    assert.deepEqual(out.loaded, []);
  });

  it('keeps decoding hot types on the generic path where code generation is disallowed', () => {
    const protos = join(__dirname, '../../../../src/sources/xds/protos.js');
    const script = `
      const p = require(${JSON.stringify(protos)});
      const bytes = p.encodeMessage('envoy.config.core.v3.Address', { socket_address: { address: '10.0.0.1', port_value: 80 } });
      let last;
      for (let i = 0; i < 200; i++) last = p.decodeMessage('envoy.config.core.v3.Address', bytes);
      process.stdout.write(JSON.stringify(last));
    `;
    const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { socket_address: { address: '10.0.0.1', port_value: 80, port_specifier: 'port_value' }, address: 'socket_address' });
  });
});
