import { readdir, readFile } from 'node:fs/promises';

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux that matters here. */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime of the process itself, in ms. */
  ownMs: number;
  /** cutime + cstime: children it has reaped (PostgreSQL's backends that exited), in ms. */
  reapedMs: number;
}

async function readStat(pid: number): Promise<Stat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  // The command name in parentheses may hold spaces; the fields after it start with the state (field 3).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  return { ppid: fields[1]!, ownMs: ms(fields[11]! + fields[12]!), reapedMs: ms(fields[13]! + fields[14]!) };
}

/** Every live process's parent, read once: enough to find a server's descendants. */
async function parents(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readStat(Number(entry));
    if (stat) map.set(Number(entry), stat.ppid);
  }
  return map;
}

function descendants(root: number, parentOf: Map<number, number>): number[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    for (const [pid, ppid] of parentOf) if (ppid === found[i]) found.push(pid);
  }
  return found;
}

/**
 * CPU time (ms) a process and everything it forked have used: the live ones, plus what the root
 * has reaped, so a backend that exits between two readings is still counted.
 */
export async function treeCpuMs(root: number | undefined, parentOf?: Map<number, number>): Promise<number | undefined> {
  if (!root) return undefined;
  const rootStat = await readStat(root);
  if (!rootStat) return undefined;
  const tree = descendants(root, parentOf ?? (await parents()));
  let total = rootStat.ownMs + rootStat.reapedMs;
  for (const pid of tree.slice(1)) total += (await readStat(pid))?.ownMs ?? 0;
  return total;
}

/** The resident set of a process, in MiB (VmRSS of /proc/<pid>/status). */
export async function rssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kib = status?.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1];
  return kib === undefined ? undefined : Number(kib) / 1024;
}

/** The processes whose CPU the bench splits: node (API and worker), Temporal, PostgreSQL. */
export interface CpuSources {
  /** Node processes: this one (API or bare client) and the worker of the side being measured. */
  node: () => number[];
  temporal?: number;
  postgres?: number;
}

export interface CpuReading {
  node: number;
  temporal?: number;
  postgres?: number;
}

export async function readCpu(sources: CpuSources): Promise<CpuReading> {
  const parentOf = await parents();
  // Node processes alone, not their children: the embedded servers are children of this process.
  let node = 0;
  for (const pid of sources.node()) node += (await readStat(pid))?.ownMs ?? 0;
  return { node, temporal: await treeCpuMs(sources.temporal, parentOf), postgres: await treeCpuMs(sources.postgres, parentOf) };
}

/** CPU ms per item between two readings, split by process kind; undefined where a side is not ours to read. */
export function cpuPer(before: CpuReading, after: CpuReading, items: number) {
  const per = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : (b - a) / items);
  const node = per(before.node, after.node)!;
  const temporal = per(before.temporal, after.temporal);
  const postgres = per(before.postgres, after.postgres);
  return { total: node + (temporal ?? 0) + (postgres ?? 0), node, temporal, postgres };
}
export type CpuPer = ReturnType<typeof cpuPer>;
