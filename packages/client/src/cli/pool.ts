/**
 * Runs `work` over `items` with at most `concurrency` calls in flight, in order of the items.
 * `shouldStop` is checked before each new item: items not started are reported as skipped.
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
  shouldStop: () => boolean = () => false,
): Promise<Array<{ status: 'done'; value: R } | { status: 'skipped' }>> {
  const results: Array<{ status: 'done'; value: R } | { status: 'skipped' }> = items.map(() => ({
    status: 'skipped',
  }));
  let next = 0;
  const worker = async () => {
    while (next < items.length && !shouldStop()) {
      const index = next++;
      results[index] = { status: 'done', value: await work(items[index] as T, index) };
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
