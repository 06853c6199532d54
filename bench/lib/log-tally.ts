/**
 * Where the in-process API logs: counted by level, the first few warnings and errors kept for the
 * results, so that the progress lines stay readable while a 503 storm is still on record.
 */
export class LogTally {
  readonly counts: Record<string, number> = {};
  readonly first: string[] = [];

  write(line: string): void {
    const level = /"level":(\d+)/.exec(line)?.[1] ?? '?';
    const name = { '40': 'warn', '50': 'error', '60': 'fatal' }[level] ?? level;
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    if (this.first.length < 20) this.first.push(line.trim().slice(0, 400));
  }
}
