import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { consume } from '../src/consumer/consume.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, decideRetry } from '../src/consumer/retry-policy.js';
import { queueArguments } from '../src/consumer/topology.js';

describe('consumer configuration', () => {
  it('has defaults for everything but the broker URL', () => {
    expect(loadConfig({}).amqp).toEqual({
      url: undefined,
      queue: 'upsync.proposals',
      deadLetterQueue: 'upsync.proposals.dead',
      prefetch: 1,
      maxAttempts: 5,
      singleActiveConsumer: true,
      reconcile: false,
      monitorPort: undefined,
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ UPSYNC_AMQP_URL: 'http://x' })).toThrow(/UPSYNC_AMQP_URL/);
    expect(() => loadConfig({ UPSYNC_AMQP_PREFETCH: '0' })).toThrow(/UPSYNC_AMQP_PREFETCH/);
    expect(() => loadConfig({ UPSYNC_AMQP_MAX_ATTEMPTS: 'many' })).toThrow(/UPSYNC_AMQP_MAX_ATTEMPTS/);
    expect(() => loadConfig({ UPSYNC_AMQP_MONITOR_PORT: '70000' })).toThrow(/UPSYNC_AMQP_MONITOR_PORT/);
    expect(loadConfig({ UPSYNC_AMQP_MONITOR_PORT: '9101' }).amqp.monitorPort).toBe(9101);
  });

  it('lets consumers compete in parallel when single-active-consumer is switched off', () => {
    expect(loadConfig({ UPSYNC_AMQP_SINGLE_ACTIVE_CONSUMER: 'false' }).amqp.singleActiveConsumer).toBe(false);
  });

  it('`consume` refuses to start without UPSYNC_AMQP_URL, naming it', async () => {
    await expect(consume(loadConfig({ LOG_LEVEL: 'silent' }))).rejects.toThrow(ConfigError);
    await expect(consume(loadConfig({ LOG_LEVEL: 'silent' }))).rejects.toThrow(/UPSYNC_AMQP_URL/);
  });

  it('declares single-active-consumer only when asked', () => {
    const base = { queue: 'q', deadLetterQueue: 'q.dead' };
    expect(queueArguments({ ...base, singleActiveConsumer: false })).toEqual({
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'q.dead',
    });
    expect(queueArguments({ ...base, singleActiveConsumer: true })).toMatchObject({
      'x-single-active-consumer': true,
    });
  });
});

describe('retry policy', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };

  it('dead-letters payload faults at once', () => {
    for (const code of ['VALIDATION_FAILED', 'IDENTITY_CONFLICT', 'CONSTRAINT_VIOLATION'] as const)
      expect(decideRetry({ code, retryable: false }, 1, policy)).toEqual({ action: 'dead-letter' });
  });

  it('retries environment faults for as long as they last', () => {
    expect(decideRetry({ code: 'DATABASE_UNAVAILABLE', retryable: true }, 1000, policy).action).toBe('retry');
    expect(decideRetry({ code: 'LOCK_RETRIES_EXHAUSTED', retryable: true }, 1000, policy).action).toBe(
      'retry',
    );
    expect(decideRetry({ code: 'SCHEMA_MISMATCH', retryable: false }, 1000, policy).action).toBe('retry');
  });

  it('gives unexpected failures maxAttempts attempts', () => {
    expect(decideRetry({ code: 'INTERNAL', retryable: false }, 2, policy).action).toBe('retry');
    expect(decideRetry({ code: 'INTERNAL', retryable: false }, 3, policy)).toEqual({ action: 'dead-letter' });
  });

  it('backs off exponentially up to the cap', () => {
    const one = () => 1;
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, one))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(40, policy, one)).toBe(30_000);
    expect(backoffDelay(1, policy, () => 0)).toBe(400);
  });
});
