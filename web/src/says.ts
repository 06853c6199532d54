import { englishMessages, formatDate, has, t } from './i18n.js';
import { tell } from './sentences.js';

/** `sentence` (a blocker, a note the pathway wrote in English) in the chosen language when a template knows it, else as written (sentences.ts). */
export const said = (sentence: string): string => tell({ english: englishMessages(), t, has, formatDate }, sentence);
