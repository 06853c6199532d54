/** Runs `work` on every item, at most `limit` at a time: each begins as soon as another ends, none after a failure. */
export async function withConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < items.length && !failed) await work(items[next++]!).catch((error: unknown) => ((failed = true), Promise.reject(error)));
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
