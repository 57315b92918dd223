import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.js';

describe('metrics', () => {
  it('keeps one registry per app, so several apps live in one process', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.recordSync('synchronized', 0.02);
    a.recordSync('validation_failed', 0.001);
    const textA = await a.registry.metrics();
    const textB = await b.registry.metrics();
    expect(textA).toContain('upsync_syncs_total{outcome="synchronized"} 1');
    expect(textA).toContain('upsync_syncs_total{outcome="validation_failed"} 1');
    expect(textA).toContain('upsync_sync_duration_seconds_bucket{le="0.025",outcome="synchronized"} 1');
    expect(textB).not.toContain('upsync_syncs_total{');
  });
});
