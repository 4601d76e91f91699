import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createClusterBalancer } from '../../src/balancing/cluster-balancer';
import type { ClusterBalancer } from '../../src/balancing/balancer';
import { OUTLIER_DETECTION_DEFAULTS, type OutlierDetectionConfig } from '../../src/model/cluster';
import { cluster, countPicks, endpoints, flatCluster, locality, seededRandom } from './cluster-fixture';

const BAD = '10.0.0.5:8080';

const successRate: OutlierDetectionConfig = {
  intervalMs: OUTLIER_DETECTION_DEFAULTS.intervalMs,
  baseEjectionTimeMs: OUTLIER_DETECTION_DEFAULTS.baseEjectionTimeMs,
  maxEjectionTimeMs: OUTLIER_DETECTION_DEFAULTS.maxEjectionTimeMs,
  maxEjectionPercent: OUTLIER_DETECTION_DEFAULTS.maxEjectionPercent,
  successRateEjection: OUTLIER_DETECTION_DEFAULTS.successRate,
};

function failurePercentage(maxEjectionPercent: number): OutlierDetectionConfig {
  return {
    ...successRate,
    maxEjectionPercent,
    successRateEjection: undefined,
    failurePercentageEjection: { ...OUTLIER_DETECTION_DEFAULTS.failurePercentage, enforcementPercentage: 100 },
  };
}

/** Sends `calls` round-robin calls; those to `bad` addresses fail. */
function traffic(b: ClusterBalancer, calls: number, bad: ReadonlySet<string>): void {
  for (let i = 0; i < calls; i++) {
    const r = b.pick(undefined, undefined);
    if (r.ok) b.release(r, { ok: !bad.has(r.endpoint.address), latencyMs: 1 });
  }
}

describe('OutlierDetection (A50)', () => {
  let clock: sinon.SinonFakeTimers;
  let b: ClusterBalancer | undefined;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    b?.close();
    b = undefined;
    clock.restore();
  });

  it('ejects a 0 %-success endpoint at the next tick, restores it 30 s later, and a second ejection lasts 60 s (check 28)', () => {
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: successRate }), { random: seededRandom(1) });
    const bad = new Set([BAD]);
    traffic(b, 1000, bad); // 200 calls each
    assert.deepEqual(b.stats().ejected, []);
    clock.tick(10_000);
    assert.deepEqual(b.stats().ejected, [BAD]);
    assert.equal(countPicks(b, 1000).get(BAD), undefined, 'an ejected endpoint is never picked');

    clock.tick(29_999);
    assert.deepEqual(b.stats().ejected, [BAD]);
    clock.tick(1); // the tick 30 s after the ejection un-ejects
    assert.deepEqual(b.stats().ejected, []);
    assert.equal(countPicks(b, 1000).get(BAD), 200);

    traffic(b, 1000, bad);
    clock.tick(10_000); // ejected again at the following tick: multiplier 2
    assert.deepEqual(b.stats().ejected, [BAD]);
    clock.tick(50_000);
    assert.deepEqual(b.stats().ejected, [BAD], 'still out 50 s later');
    clock.tick(10_000);
    assert.deepEqual(b.stats().ejected, [], 'back after 60 s');
  });

  it('does not eject when fewer than minimumHosts reach the request volume', () => {
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: successRate }), { random: seededRandom(2) });
    traffic(b, 450, new Set([BAD])); // 90 calls each < 100
    clock.tick(10_000);
    assert.deepEqual(b.stats().ejected, []);
  });

  it('lowers the multiplier while an address behaves, so a much later ejection is short again', () => {
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: successRate }), { random: seededRandom(3) });
    traffic(b, 1000, new Set([BAD]));
    clock.tick(10_000);
    clock.tick(30_000); // un-ejected, multiplier 1
    clock.tick(10_000); // healthy tick: multiplier 0
    traffic(b, 1000, new Set([BAD]));
    clock.tick(10_000);
    assert.deepEqual(b.stats().ejected, [BAD]);
    clock.tick(30_000);
    assert.deepEqual(b.stats().ejected, [], 'multiplier back to 1: 30 s');
  });

  it('ejects by failure percentage (> threshold) and respects max_ejection_percent, but always allows one', () => {
    const badTwo = new Set(['10.0.0.4:8080', BAD]);
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: failurePercentage(10) }), { random: seededRandom(4) });
    traffic(b, 1000, badTwo);
    clock.tick(10_000);
    assert.equal(b.stats().ejected.length, 1, '10 % of 5 rounds to none, yet one is allowed');

    b.close();
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: failurePercentage(40) }), { random: seededRandom(4) });
    traffic(b, 1000, badTwo);
    clock.tick(10_000);
    assert.deepEqual([...b.stats().ejected].sort(), [...badTwo].sort());
  });

  it('does not eject at exactly the failure threshold', () => {
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: failurePercentage(100) }), { random: seededRandom(5) });
    // Endpoint 5 fails 85 of its 100 calls: 85 % is not > 85 %.
    let failures = 0;
    for (let i = 0; i < 500; i++) {
      const r = b.pick(undefined, undefined);
      if (!r.ok) continue;
      const fail = r.endpoint.address === BAD && failures < 85;
      if (fail) failures++;
      b.release(r, { ok: !fail });
    }
    clock.tick(10_000);
    assert.deepEqual(b.stats().ejected, []);
  });

  it('moves traffic to P1 when every P0 endpoint is ejected and back when they return (check 25)', () => {
    // One host per priority, so failure percentage needs minimumHosts 1.
    const outlierDetection: OutlierDetectionConfig = {
      ...failurePercentage(100),
      failurePercentageEjection: { threshold: 50, enforcementPercentage: 100, minimumHosts: 1, requestVolume: 10 },
    };
    const c = cluster([[locality('a', 1, endpoints(1, { third: 1 }))], [locality('b', 1, endpoints(1, { third: 2 }))]], {
      outlierDetection,
    });
    b = createClusterBalancer(c, { random: seededRandom(6) });
    traffic(b, 100, new Set(['10.0.1.1:8080']));
    clock.tick(10_000);
    assert.deepEqual(b.stats().ejected, ['10.0.1.1:8080']);
    assert.deepEqual([...countPicks(b, 100).keys()], ['10.0.2.1:8080']);
    clock.tick(30_000);
    assert.deepEqual([...countPicks(b, 100).keys()], ['10.0.1.1:8080']);
  });

  it('keeps the timer phase when the interval changes', () => {
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: successRate }), { random: seededRandom(7) });
    traffic(b, 1000, new Set([BAD]));
    clock.tick(4_000);
    b.update(flatCluster(endpoints(5), undefined, { outlierDetection: { ...successRate, intervalMs: 20_000 } }));
    clock.tick(15_999); // t = 19.999 s since the last tick
    assert.deepEqual(b.stats().ejected, []);
    clock.tick(1);
    assert.deepEqual(b.stats().ejected, [BAD]);
  });

  it('keeps ejections and counts across updates, and un-ejects everything when detection is removed', () => {
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: successRate }), { random: seededRandom(8) });
    traffic(b, 1000, new Set([BAD]));
    clock.tick(10_000);
    b.update(flatCluster(endpoints(6), undefined, { outlierDetection: successRate }));
    assert.deepEqual(b.stats().ejected, [BAD]);
    assert.equal(countPicks(b, 600).get(BAD), undefined);
    b.update(flatCluster(endpoints(6)));
    assert.deepEqual(b.stats().ejected, []);
    assert.equal(countPicks(b, 600).get(BAD), 100);
  });

  it('stops its timer on close', () => {
    b = createClusterBalancer(flatCluster(endpoints(5), undefined, { outlierDetection: successRate }));
    assert.equal(clock.countTimers(), 1);
    b.close();
    assert.equal(clock.countTimers(), 0);
  });
});
