/** The q-quantile (0..1) of the values, nearest rank; undefined when there are none. */
export function quantile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function median(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (known.length === 0) return undefined;
  const sorted = known.sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Latencies {
  count: number;
  p50?: number;
  p99?: number;
  mean?: number;
}

export function latencies(values: number[]): Latencies {
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
  return { count: values.length, p50: quantile(values, 0.5), p99: quantile(values, 0.99), mean };
}

/** Runs `work` on every item with at most `concurrency` at a time, as that many clients would. */
export async function concurrently<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const client = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, client));
}

/** Times one call, in ms. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const benchStarted = performance.now();

/** One progress line on stderr, with the time since the bench started. */
export function progress(line: string): void {
  const s = Math.round((performance.now() - benchStarted) / 1000);
  process.stderr.write(`[bench ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}\n`);
}

export const round = (value: number | undefined, digits = 0) =>
  value === undefined ? undefined : Math.round(value * 10 ** digits) / 10 ** digits;
