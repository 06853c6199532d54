import { protectTable, type DisclosureOptions, type PublishedTable } from './disclosure.js';

/**
 * Tables of counts with their labels, passed through disclosure control; published.ts builds
 * the statistics that leave the organisation on them.
 */

/** A table of counts of people with the categories of its rows and columns. */
export interface CountTable {
  rows: string[];
  columns: string[];
  counts: number[][];
}

export interface PublishedCountTable extends PublishedTable {
  rows: string[];
  columns: string[];
}

export function publishCounts(table: CountTable, options: DisclosureOptions = {}): PublishedCountTable {
  if (table.counts.length !== table.rows.length || table.counts.some((row) => row.length !== table.columns.length)) {
    throw new RangeError('a table needs one row of counts per row label and one count per column label');
  }
  return { rows: table.rows, columns: table.columns, ...protectTable(table.counts, options) };
}

/** The field report's Table 1: people per programme as men, women and children. */
export function caseloadTable(programmes: readonly { programme: string; men: number; women: number; children: number }[]): CountTable {
  return {
    rows: programmes.map((p) => p.programme),
    columns: ['men', 'women', 'children'],
    counts: programmes.map((p) => [p.men, p.women, p.children]),
  };
}
