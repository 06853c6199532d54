import { englishMessages, formatDate, has, label, t, type Messages } from './i18n.js';

/**
 * The pathway explains itself in English sentences (a stage's blockers, a note: "waiting for
 * medical to be done"). Each known sentence has a `says.*` key whose English text is its template;
 * a sentence is matched against those templates and told in the chosen language, its parts
 * (stages, dates, other sentences) translated too. A sentence no template matches is shown as is.
 */
let compiled: { from: Messages; templates: { key: string; pattern: RegExp; names: string[] }[] } | undefined;

function templates(english: Messages) {
  if (compiled?.from === english) return compiled.templates;
  const list = Object.entries(english)
    .filter(([key]) => key.startsWith('says.'))
    .map(([key, text]) => {
      const names: string[] = [];
      const source = text
        .split(/\{(\w+)\}/)
        .map((piece, i) => (i % 2 ? (names.push(piece), '(.+?)') : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      return { key, pattern: new RegExp(`^${source}$`), names };
    })
    // Longer templates first: "… has not passed (until {date})" before "… has not passed".
    .sort((a, b) => b.pattern.source.length - a.pattern.source.length);
  compiled = { from: english, templates: list };
  return list;
}

function part(value: string): string {
  if (has(`stage.${value}`)) return label('stage', value);
  if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) return formatDate(value, value.length > 10);
  const days = /^P(\d+)D$/.exec(value);
  if (days) return t('common.days', { days: Number(days[1]) });
  const list = value.split(', ');
  if (list.length > 1 && list.every((v) => has(`stage.${v}`))) return list.map((v) => label('stage', v)).join(', ');
  return said(value);
}

/** `sentence` in the chosen language when a template knows it, else as the pathway wrote it. */
export function said(sentence: string): string {
  for (const { key, pattern, names } of templates(englishMessages())) {
    const match = pattern.exec(sentence);
    if (match) return t(key, Object.fromEntries(names.map((name, i) => [name, part(match[i + 1]!)])));
  }
  return sentence;
}
