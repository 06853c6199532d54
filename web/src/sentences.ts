/**
 * The pathway explains itself in English sentences (a stage's blockers, a note: "waiting for
 * medical to be done"). Each known sentence has a `says.*` key whose English text is its template;
 * a sentence is matched against those templates and told in another language, its parts (stages,
 * dates, other sentences) translated too. A sentence no template matches is told as is. Pure: the
 * console tells sentences in the chosen language (says.ts), the server in a PDF's (src/print).
 */
export interface SentenceWords {
  /** The English texts, whose `says.*` entries are the templates. */
  english: Record<string, string>;
  t(key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
  formatDate(value: string, withTime: boolean): string;
}

type Template = { key: string; pattern: RegExp; names: string[] };
const compiled = new WeakMap<Record<string, string>, Template[]>();

function templates(english: Record<string, string>): Template[] {
  let list = compiled.get(english);
  if (list) return list;
  list = Object.entries(english)
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
  compiled.set(english, list);
  return list;
}

function part(words: SentenceWords, value: string): string {
  if (words.has(`stage.${value}`)) return words.t(`stage.${value}`);
  if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) return words.formatDate(value, value.length > 10);
  const days = /^P(\d+)D$/.exec(value);
  if (days) return words.t('common.days', { days: Number(days[1]) });
  const list = value.split(', ');
  if (list.length > 1 && list.every((v) => words.has(`stage.${v}`))) return list.map((v) => words.t(`stage.${v}`)).join(', ');
  return tell(words, value);
}

/** `sentence` in the words' language when a template knows it, else as the pathway wrote it. */
export function tell(words: SentenceWords, sentence: string): string {
  for (const { key, pattern, names } of templates(words.english)) {
    const match = pattern.exec(sentence);
    if (match) return words.t(key, Object.fromEntries(names.map((name, i) => [name, part(words, match[i + 1]!)])));
  }
  return sentence;
}
