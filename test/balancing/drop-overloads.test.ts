import assert from 'node:assert/strict';
import { createClusterBalancer } from '../../src/balancing/cluster-balancer';
import { DropOverloads } from '../../src/balancing/drop-overloads';
import { countPicks, endpoints, flatCluster, seededRandom } from './cluster-fixture';

describe('DropOverloads (check 30)', () => {
  it('drops 20 % ± 1 % of 100,000 picks with MESH_ERR_DROPPED before choosing an endpoint', () => {
    const b = createClusterBalancer(
      flatCluster(endpoints(2), undefined, { dropOverloads: [{ category: 'lb', dropPerMillion: 200_000 }] }),
      { random: seededRandom(11) },
    );
    const counts = countPicks(b, 100_000);
    const dropped = counts.get('MESH_ERR_DROPPED')! / 100_000;
    assert.ok(Math.abs(dropped - 0.2) < 0.01, String(dropped));
    assert.equal(b.stats().droppedTotal, counts.get('MESH_ERR_DROPPED'));
    assert.equal(b.stats().requestsTotal, 100_000 - counts.get('MESH_ERR_DROPPED')!);
  });

  it('draws once per category, independently (10 % then 50 % ⇒ 55 %)', () => {
    const drops = new DropOverloads();
    drops.configure([
      { category: 'a', dropPerMillion: 100_000 },
      { category: 'b', dropPerMillion: 500_000 },
    ]);
    const random = seededRandom(12);
    let dropped = 0;
    for (let i = 0; i < 100_000; i++) if (drops.shouldDrop(random)) dropped++;
    assert.ok(Math.abs(dropped / 100_000 - 0.55) < 0.01, String(dropped));
    const by = drops.droppedByCategory();
    assert.ok(Math.abs(by.a! / 100_000 - 0.1) < 0.01 && Math.abs(by.b! / 100_000 - 0.45) < 0.01, JSON.stringify(by));
  });

  it('never drops at 0 and always drops at 1,000,000 per million', () => {
    const drops = new DropOverloads();
    drops.configure([{ category: 'none', dropPerMillion: 0 }]);
    assert.equal(drops.shouldDrop(() => 0), false);
    drops.configure([{ category: 'all', dropPerMillion: 1_000_000 }]);
    assert.equal(drops.shouldDrop(() => 0.999999), true);
  });
});
