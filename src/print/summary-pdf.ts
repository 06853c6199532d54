import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { OrganisationEntry } from '../../config/directory.js';
import type { PathwayView } from '../domain/pathway.js';
import type { Words } from './locale.js';

/**
 * DejaVu Sans, read from its npm package: it has Cyrillic (and Latin, Greek, Arabic letters), and
 * its licence (Bitstream Vera's, changes public domain) allows embedding it in documents. pdfkit
 * embeds only the letters used, so a summary stays small.
 */
const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');

type Record_ = { givenName: string; familyName: string; patronymic?: string; birthDate: string; birthDateEstimated: boolean; nameHidden?: boolean };

export interface SummaryInput {
  state: Omit<PathwayView, 'availableActions'> & { record?: Record_ };
  words: Words;
  organisations: readonly OrganisationEntry[];
  /** Who made the PDF, and when: said at its end. */
  madeBy: string;
  madeAt: Date;
}

const fullName = (record: Record_) => [record.familyName, record.givenName, record.patronymic].filter(Boolean).join(' ');

/** The case summary as a PDF on A4: what the console's summary page shows, in the same words. */
export function summaryPdf({ state, words, organisations, madeBy, madeAt }: SummaryInput): PDFKit.PDFDocument {
  const { t, value, date } = words;
  const orgName = (id: string) => {
    const names = organisations.find((o) => o.id === id)?.names as Record<string, string> | undefined;
    return names?.[words.code] ?? names?.en ?? id;
  };
  const label = (kind: string, name: string) => t(`${kind}.${name}`);
  const name = state.record ? fullName(state.record) : t('pathway.title');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    font: REGULAR,
    lang: words.code,
    info: { Title: t('print.summary.title'), Producer: 'Pathways' },
  });
  doc.registerFont('regular', REGULAR).registerFont('bold', BOLD);
  // A stage, or a heading with its first lines, is kept on one sheet: a new page starts before it when it would not fit.
  const keep = (lines: number) => {
    if (doc.y + lines * doc.currentLineHeight(true) > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const heading = (text: string, size = 13) => {
    keep(4);
    doc.moveDown(0.6).font('bold').fontSize(size).text(text).font('regular').fontSize(10).moveDown(0.2);
  };
  const fact = (term: string, text: string) => doc.font('bold').text(`${term}: `, { continued: true }).font('regular').text(text);

  doc.font('bold').fontSize(18).text(name);
  doc.font('regular').fontSize(10).fillColor('#444').text(`${t('print.summary.title')} · ${t('print.pathwayId', { id: state.pathwayId })}`).fillColor('black');
  if (state.record?.nameHidden) doc.moveDown(0.4).font('bold').text(t('print.hiddenName')).font('regular');
  heading(t('print.summary.person'));
  if (state.record) {
    const born = state.record.birthDate.length === 10 ? date(state.record.birthDate) : state.record.birthDate;
    fact(t('field.birthDate'), state.record.birthDateEstimated ? `${born} (${t('pathway.estimated')})` : born);
  }
  const { person } = state;
  fact(t('pathway.person'), [value(person.sex), person.ageBand, person.arrivedWith ? value(person.arrivedWith) : ''].filter(Boolean).join(', '));

  heading(t('print.summary.pathway'));
  fact(t('field.programme'), [state.programme, state.operation, state.phase].filter(Boolean).join(' · '));
  fact(t('field.arrivalDate'), date(state.arrivalDate));
  fact(t('field.status'), label('status', state.status) + (state.closure ? ` (${value(state.closure.reason)}, ${date(state.closure.at)})` : ''));
  fact(t('field.currentStage'), label('stage', state.currentStage) + (state.overdue ? ` · ${t('common.overdue')}` : ''));
  fact(t('pathway.organisations'), state.organisations.map(orgName).join(', '));
  const assigned = [...(state.assignments?.pathway ? [{ ...state.assignments.pathway, stage: undefined }] : []), ...(state.assignments?.stages ?? [])];
  for (const a of assigned) {
    fact(t('print.summary.assignee'), t('pathway.assignedTo', { what: a.stage ? label('stage', a.stage) : t('pathway.wholePathway'), assignee: a.assignee, org: orgName(a.org) }));
  }

  heading(t('pathway.stages'));
  for (const stage of state.stages) {
    keep(Object.keys(stage.details).length + 3);
    doc.moveDown(0.3).font('bold').fontSize(11).text(`${label('stage', stage.stage)} — ${label('status', stage.status)}${stage.overdue ? ` · ${t('common.overdue')}` : ''}`);
    doc.font('regular').fontSize(10);
    const dates = [
      stage.startedAt ? t('print.started', { date: date(stage.startedAt) }) : '',
      stage.endedAt ? t('pathway.ended', { date: date(stage.endedAt) }) : '',
      stage.dueAt && !stage.endedAt ? t('pathway.due', { date: date(stage.dueAt) }) : '',
    ].filter(Boolean);
    if (dates.length) doc.fillColor('#444').text(dates.join(' · ')).fillColor('black');
    for (const [field, recorded] of Object.entries(stage.details)) fact(label('field', field), value(recorded));
  }

  const open = (state.referrals ?? []).filter((r) => r.status === 'pending' || r.status === 'accepted');
  if (open.length) {
    heading(t('print.summary.openReferrals'));
    for (const r of open) {
      doc.text(`${label('stage', r.stage)} → ${orgName(r.to)}: ${value(r.reason)} · ${t(`pathway.share.${r.status}`)} · ${t('pathway.answerDue')} ${date(r.dueAt, true)}`);
    }
  }
  if (state.notes?.length) {
    heading(t('pathway.notes'));
    for (const note of state.notes) doc.text(`• ${words.sentence(note)}`);
  }

  doc.moveDown(1).fillColor('#444').fontSize(9).text(t('print.madeBy', { who: madeBy, date: date(madeAt.toISOString(), true) })).fillColor('black');

  // The name and the pathway on every page, so a loose sheet is not taken for another person's.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const foot = `${name} · ${t('print.pathwayId', { id: state.pathwayId })} · ${i + 1}/${range.count}`;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8).fillColor('#444').text(foot, doc.page.margins.left, doc.page.height - 40, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right, lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return doc;
}
