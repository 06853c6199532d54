import { LIST_PATHWAYS, listParams, type ListFilters } from '../db/listing.js';
import { CASELOAD_PROGRAMMES, CASELOAD_STAGES, CASELOAD_WORKERS, STAGE_DURATIONS } from '../db/reports.js';
import { isoOrNull, WORKLIST, worklistParams, type WorklistFilters } from '../db/worklist.js';
import type { Actor } from '../domain/model.js';
import { shownPerson, type PersonRow } from '../domain/person-shown.js';
import type { Cell } from './write.js';

/** The lists and reports that can be taken away as a file. */
export const EXPORT_LISTS = ['pathways', 'worklist', 'caseload', 'stage-durations', 'indicators', 'statistics'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

interface Statement {
  text: string;
  values: unknown[];
}

/**
 * One export: its columns (stable ids; headings come from the locale files), the query read as
 * a stream, how a row becomes cells, and, for a list that names people, the one statement that
 * writes each pathway of the same query to its access log.
 */
export interface CursorExport {
  list: ExportList;
  columns: readonly string[];
  select: Statement;
  cells(row: Record<string, any>, today: string): Cell[];
  accessLog?: Statement;
}

/**
 * A report computed in memory (indicators, statistics: a few rows per programme), its rows ready:
 * counts only, so nothing for an access log.
 */
export interface ComputedExport {
  list: ExportList;
  columns: readonly string[];
  rows: readonly Cell[][];
}

export type ExportSpec = CursorExport | ComputedExport;

/** The statement that writes each pathway of the file to its access log, for a file that names people. */
export const accessLogOf = (spec: ExportSpec) => ('accessLog' in spec ? spec.accessLog : undefined);

const iso = (value: Date) => value.toISOString();
const tenth = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** The columns that name the person, as lists show them (initials for a hidden name). */
const PERSON_COLUMNS = ['name', 'nameHidden', 'birthDate', 'birthDateEstimated', 'age'] as const;
function personCells(row: Record<string, any>, today: string): Cell[] {
  const person = shownPerson(row as PersonRow, { today });
  return [person.name, person.nameHidden, person.birthDate, person.birthDateEstimated, person.age];
}

/** Who exported, for the access log statements: appended after a query's own parameters. */
const who = (actor: Actor, requestId: string) => [actor.id, actor.role, actor.org, requestId];

export function pathwaysExport(filters: Omit<ListFilters, 'limit' | 'after'>, actor: Actor, requestId: string): CursorExport {
  const values = listParams(filters);
  return {
    list: 'pathways',
    columns: ['id', 'programme', 'operation', 'phase', 'arrivalDate', 'familyGroup', ...PERSON_COLUMNS, 'sex', 'ageBand', 'status', 'currentStage',
      'overdue', 'openedAt', 'updatedAt', 'via'],
    select: { text: LIST_PATHWAYS, values },
    cells: (r, today) => [r.id, r.programme, r.operation, r.phase, r.arrival_date, r.family_group_id, ...personCells(r, today), r.sex, r.age_band,
      r.status, r.current_stage, r.overdue, iso(r.opened_at), iso(r.updated_at), r.own ? 'organisation' : 'oversight'],
    accessLog: {
      text: `insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id, via)
             select l.id, $14::text, $15::text, $16::text, 'export', $17::text, case when l.own then 'organisation' else 'oversight' end
               from (${LIST_PATHWAYS}) l`,
      values: [...values, ...who(actor, requestId)],
    },
  };
}

export function worklistExport(filters: Omit<WorklistFilters, 'limit' | 'after'>, actor: Actor, requestId: string): CursorExport {
  const values = worklistParams(filters);
  const types = (actions: { type: string }[] | null) => (actions ?? []).map((a) => a.type).join(', ');
  return {
    list: 'worklist',
    columns: ['id', 'programme', 'operation', 'phase', 'status', 'currentStage', 'referredStage', 'overdue', 'dueAt', 'overdueSince', 'via',
      'assignedTo', ...PERSON_COLUMNS, 'yourActions', 'waitingFor'],
    select: { text: WORKLIST, values },
    cells: (r, today) => [r.id, r.programme, r.operation, r.phase, r.status, r.current_stage, r.referred_stage, r.overdue, isoOrNull(r.due_at),
      isoOrNull(r.overdue_since), r.via, r.holder, ...personCells(r, today), types(r.mine),
      r.mine?.length ? '' : [...new Set((r.work ?? []).flatMap((a: { roles: string[] }) => a.roles))].sort().join(', ')],
    // A pathway with two stages referred to the organisation is two rows, and one entry of its log.
    accessLog: {
      text: `insert into access_log (pathway_id, actor_id, actor_role, actor_org, what, request_id, via)
             select distinct on (w.id) w.id, $11::text, $12::text, $13::text, 'export', $14::text, w.via from (${WORKLIST}) w`,
      values: [...values, ...who(actor, requestId)],
    },
  };
}

/** A report: counts only, no person, so nothing for an access log. */
function reportExport(list: ExportList, text: string, organisation: string | undefined, columns: string[], cells: CursorExport['cells']): CursorExport {
  return { list, columns, select: { text, values: [organisation ?? null] }, cells };
}

export function caseloadExport(by: 'programme' | 'stage' | 'worker', organisation: string | undefined): CursorExport {
  if (by === 'stage') return reportExport('caseload', CASELOAD_STAGES, organisation, ['programme', 'stage', 'people'], (r) => [r.programme, r.stage, r.people]);
  if (by === 'worker') {
    return reportExport('caseload', CASELOAD_WORKERS, organisation, ['worker', 'organisation', 'openPathways', 'overdue'],
      (r) => [r.assignee, r.organisation, r.open, r.overdue]);
  }
  return reportExport('caseload', CASELOAD_PROGRAMMES, organisation, ['programme', 'men', 'women', 'children', 'total', 'open'],
    (r) => [r.programme, r.men, r.women, r.children, r.total, r.open]);
}

export function stageDurationsExport(organisation: string | undefined): CursorExport {
  return reportExport('stage-durations', STAGE_DURATIONS, organisation,
    ['programme', 'stage', 'completed', 'medianDays', 'p90Days', 'inProgress', 'overdueNow'],
    (r) => [r.programme, r.stage, r.completed, tenth(r.median_days), tenth(r.p90_days), r.in_progress, r.overdue_now]);
}
