import assert from 'node:assert/strict';
import { createEndpointPicker, registerLbPolicy, resolveLbPolicy } from '../../src/balancing/lb-policy-registry';
import { MeshError } from '../../src/errors';
import { pickerEntries } from './cluster-fixture';

describe('LbPolicyRegistry', () => {
  it('knows every built-in policy', () => {
    for (const name of ['round_robin', 'weighted_round_robin', 'random', 'least_request', 'ring_hash', 'maglev', 'pick_first']) {
      assert.ok(resolveLbPolicy({ name, choiceCount: 2, minRingSize: 1, maxRingSize: 2, tableSize: 7 } as never));
    }
  });

  it('rejects an unknown policy with INVALID_CONFIG naming the field', () => {
    assert.throws(
      () => createEndpointPicker({ name: 'nope' }, pickerEntries([1]), { random: Math.random, updateSeed: 0 }),
      (e: MeshError) => e.code === 'MESH_ERR_INVALID_CONFIG' && e.field === 'lbPolicy.name',
    );
  });

  it('registers a custom policy and restores the previous state', () => {
    const restore = registerLbPolicy('last', {
      scope: 'locality',
      usesRequestHash: false,
      create: (entries) => ({ pick: () => entries.length - 1 }),
    });
    try {
      assert.equal(createEndpointPicker({ name: 'last' }, pickerEntries([1, 1, 1]), { random: Math.random, updateSeed: 0 }).pick(undefined), 2);
    } finally {
      restore();
    }
    assert.throws(() => resolveLbPolicy({ name: 'last' }), /unknown load-balancing policy/);
  });
});
