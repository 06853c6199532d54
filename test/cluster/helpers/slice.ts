import { setTimeout as sleep } from 'node:timers/promises';
import type { Programme } from '../../../src/domain/model.js';
import { acceptedCount, cohorts, driveAll, openCohorts, type Accepted, type Crew } from './caseload.js';
import type { TestCluster } from './cluster.js';
import { AnswerLog, ApiClient } from './http.js';

/** Bounds a slice: a caseload that cannot close fails the test instead of hanging it. */
const SLICE_BOUND_MS = 15 * 60_000;

/**
 * One caseload slice: families opened as cohorts, then driven to closure by the clients, with
 * what they were told kept apart from the other slices'.
 */
export class Slice {
  readonly log = new AnswerLog();
  readonly accepted: Accepted = new Map();
  readonly open = new Set<string>();
  ids: string[] = [];
  private driving?: Promise<{ problems: string[]; open: string[] }>;
  private settled = false;
  private readonly startedAt = Date.now();
  /** From opening its cohorts to its last pathway closed. */
  seconds = 0;

  constructor(
    readonly name: string,
    private readonly shape: TestCluster,
    private readonly crews: Crew[],
  ) {}

  /** Opens the cohorts and sets the clients going; resolves once every pathway is open. */
  async start(perProgramme: number, programmes: Programme[]): Promise<void> {
    const api = new ApiClient(this.shape.cluster.apiUrl, this.log);
    this.ids = await openCohorts(api, this.crews[0]!, cohorts(this.name, perProgramme, programmes));
    this.driving = driveAll(api, this.crews, this.ids, this.accepted, { deadline: Date.now() + SLICE_BOUND_MS, open: this.open }).finally(() => {
      this.settled = true;
      this.seconds = Math.round((Date.now() - this.startedAt) / 1000);
    });
  }

  get actions(): number {
    return acceptedCount(this.accepted);
  }

  /** Resolves once clients have been told of `count` more accepted actions (or the slice is over). */
  async progress(count: number): Promise<void> {
    const target = this.actions + count;
    while (!this.settled && this.actions < target) await sleep(200);
  }

  /** Resolves once the first of its pathways has closed (or the slice is over). */
  async firstClosed(): Promise<void> {
    while (!this.settled && this.open.size === this.ids.length) await sleep(500);
  }

  finished(): Promise<{ problems: string[]; open: string[] }> {
    if (!this.driving) throw new Error(`slice ${this.name} was not started`);
    return this.driving;
  }
}
