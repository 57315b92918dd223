import { connect } from 'amqplib';

/** The broker tests use: `UPSYNC_TEST_AMQP_URL`, default the local RabbitMQ with guest/guest. */
export const TEST_AMQP_URL = process.env.UPSYNC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Whether RabbitMQ answers. If not: a loud message and `false` (tests skip), except with
 * `CI=true`, where unreachability throws, so the suite fails instead of passing silently.
 */
export async function amqpReachable(): Promise<boolean> {
  try {
    const connection = await connect(TEST_AMQP_URL, { timeout: 3000 });
    await connection.close();
    return true;
  } catch (error) {
    const message = `RabbitMQ at ${TEST_AMQP_URL.replace(/\/\/[^@]*@/, '//')} is unreachable (${(error as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${message}: broker-backed tests cannot be skipped in CI`);
    console.error(
      `\n${'!'.repeat(78)}\n!!! ${message}\n!!! SKIPPING the RabbitMQ-backed tests. Start it with \`rabbitmq-server -detached\` or set UPSYNC_TEST_AMQP_URL.\n${'!'.repeat(78)}\n`,
    );
    return false;
  }
}
