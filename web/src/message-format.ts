import type { MessageFormatElement, PluralElement, SelectElement } from '@formatjs/icu-messageformat-parser';

/**
 * ICU MessageFormat for texts the service sent parsed: what our texts use (words, `{name}`,
 * `{n, plural, …}` with `=0` and `#`, `{x, select, …}`), formatted as `intl-messageformat` does
 * (test/console/message-format.test.ts compares both on every text), in a tenth of its size. A
 * number, date or tag element is refused: the service formats none, and a test says so first.
 */
const plurals = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

function pluralRule(code: string, type: Intl.PluralRulesOptions['type'], n: number): string {
  const id = `${code}/${type}`;
  let rules = plurals.get(id);
  if (!rules) plurals.set(id, (rules = new Intl.PluralRules(code, { type })));
  return rules.select(n);
}

function number(code: string, n: number): string {
  let format = numbers.get(code);
  if (!format) numbers.set(code, (format = new Intl.NumberFormat(code)));
  return format.format(n);
}

const option = (element: PluralElement | SelectElement, key: string) => (Object.hasOwn(element.options, key) ? element.options[key] : undefined);

/** `parts` with `values` in language `code`; a value left out throws (as `intl-messageformat` does), naming it. */
export function formatMessage(parts: MessageFormatElement[], code: string, values: Record<string, string | number>, count?: number): string {
  let text = '';
  for (const part of parts) {
    // The parser's element types: 0 words, 1 argument, 5 select, 6 plural, 7 `#`.
    const type = part.type as number;
    if (type === 0) text += (part as { value: string }).value;
    // `#` is the plural's number, in the language's way; nothing outside a plural.
    else if (type === 7) text += count === undefined ? '' : number(code, count);
    else if (!((part as { value: string }).value in values)) throw new Error(`no value for ${(part as { value: string }).value}`);
    else {
      const value = values[(part as { value: string }).value]!;
      if (type === 1) text += String(value);
      else if (type === 5) text += formatMessage(choose(part as SelectElement, String(value)), code, values);
      else if (type === 6) {
        const plural = part as PluralElement;
        const n = Number(value) - (plural.offset || 0);
        const chosen = option(plural, `=${value}`) ?? option(plural, pluralRule(code, plural.pluralType, n)) ?? plural.options.other;
        if (!chosen) throw new Error(`no option for ${value}`);
        text += formatMessage(chosen.value, code, values, n);
      } else throw new Error(`element type ${type} is not formatted here`);
    }
  }
  return text;
}

function choose(select: SelectElement, value: string): MessageFormatElement[] {
  const chosen = option(select, value) ?? select.options.other;
  if (!chosen) throw new Error(`no option for ${value}`);
  return chosen.value;
}
