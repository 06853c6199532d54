import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/** A translation as ICU MessageFormat sees it: its literal words (every plural or select branch) and the names of its arguments. */
export function anatomy(text: string): { words: string; args: Set<string> } {
  const words: string[] = [];
  const args = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal) words.push(element.value);
      else if (element.type !== TYPE.pound && element.type !== TYPE.tag) args.add(element.value);
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(parse(text, { ignoreTag: true }));
  return { words: words.join(' '), args };
}
