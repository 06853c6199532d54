// What an e-mail says, in its reader's language: the kind of event, the programme, stage and due
// date, and a link that needs signing in. Only the fields named here are read, so nothing
// personal can slip into a message from a notification's data.
import type { Config, OrganisationEntry } from '../../../config/index.js';
import { PRINT_LANGUAGES, wordsFor, type Words } from '../../print/locale.js';

/** What a message is made from: a notification without anything personal. */
export interface MailNotification {
  kind: string;
  pathwayId: string | null;
  /** Only the fields read below are ever shown. */
  data: object;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The languages e-mails are written in; anything else is told in English. */
export function mailLanguage(...wanted: (string | null | undefined)[]): string {
  for (const code of wanted) {
    const base = code?.toLowerCase().split(/[-_]/)[0];
    if (base && PRINT_LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

const textOf = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/** The values a kind's sentence may name, formatted for the language. */
function argumentsOf(words: Words, data: Partial<Record<string, unknown>>, organisations: readonly OrganisationEntry[]): Record<string, string | number> {
  const orgName = (id: unknown) => {
    const entry = organisations.find((o) => o.id === id);
    return entry ? (entry.names[words.code] ?? entry.names.en ?? entry.id) : textOf(id);
  };
  const stage = textOf(data.stage);
  const values: Record<string, string | number | undefined> = {
    stage: stage && (words.has(`stage.${stage}`) ? words.t(`stage.${stage}`) : stage),
    dueAt: textOf(data.dueAt) && words.date(textOf(data.dueAt)),
    count: typeof data.count === 'number' ? data.count : Array.isArray(data.stages) ? data.stages.length : undefined,
    stages: Array.isArray(data.stages) ? data.stages.map((name) => (words.has(`stage.${name}`) ? words.t(`stage.${name}`) : textOf(name))).join(', ') : undefined,
    // A category (accepted, declined), chosen between by the sentence, never printed as it is.
    reason: textOf(data.reason),
    programme: textOf(data.programme),
    decision: textOf(data.decision),
    from: orgName(data.from),
    to: orgName(data.to),
  };
  // ICU needs every argument its sentence names; an absent one reads as nothing.
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value ?? '']));
}

/** The one sentence that says what happened (the console's notification.kind.<kind>). */
export function sentenceOf(words: Words, notification: MailNotification, organisations: readonly OrganisationEntry[]): string {
  const key = `notification.kind.${notification.kind}`;
  const values = argumentsOf(words, notification.data, organisations);
  try {
    return words.has(key) ? words.t(key, values) : words.t('email.something', values);
  } catch {
    return words.t('email.something', values);
  }
}

/** The public address links point to: PUBLIC_URL, else the API's own. */
export function publicUrlOf(config: Config): string {
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  return config.publicUrl ?? `http://${host}:${config.http.port}`;
}

/** The console page a message links to: the pathway's, or the inbox. */
export function linkOf(publicUrl: string, notification: Pick<MailNotification, 'pathwayId'>): string {
  const base = publicUrl.replace(/\/+$/, '');
  return notification.pathwayId ? `${base}/#/pathways/${encodeURIComponent(notification.pathwayId)}` : `${base}/`;
}

/** The facts lines of a notification: programme, stage, due date, as far as it has them. */
function factsOf(words: Words, data: Partial<Record<string, unknown>>): string[] {
  const facts: string[] = [];
  const programme = textOf(data.programme);
  const stage = textOf(data.stage);
  const dueAt = textOf(data.dueAt);
  if (programme) facts.push(words.t('email.programme', { programme }));
  if (stage) facts.push(words.t('email.stage', { stage: words.has(`stage.${stage}`) ? words.t(`stage.${stage}`) : stage }));
  if (dueAt) facts.push(words.t('email.dueAt', { date: words.date(dueAt) }));
  return facts;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Plain text lines as simple HTML: paragraphs, and the link as a link. */
function htmlOf(language: string, paragraphs: string[][], link?: { label: string; href: string }): string {
  const body = paragraphs.map((lines) => `<p>${lines.map(escapeHtml).join('<br>')}</p>`).join('\n');
  const anchor = link ? `\n<p>${escapeHtml(link.label)} <a href="${escapeHtml(link.href)}">${escapeHtml(link.href)}</a></p>` : '';
  return `<!doctype html>\n<html lang="${language}"><body>\n${body}${anchor}\n</body></html>\n`;
}

/** One notification's e-mail. */
export function renderNotification(language: string, notification: MailNotification, publicUrl: string, organisations: readonly OrganisationEntry[]): RenderedMail {
  const words = wordsFor(language);
  const sentence = sentenceOf(words, notification, organisations);
  const facts = factsOf(words, notification.data);
  const link = linkOf(publicUrl, notification);
  const signIn = words.t('email.signIn');
  return {
    subject: words.t('email.subject', { what: sentence }),
    text: [sentence, '', ...(facts.length ? [...facts, ''] : []), `${signIn} ${link}`, ''].join('\n'),
    html: htmlOf(words.code, [[sentence], ...(facts.length ? [facts] : [])], { label: signIn, href: link }),
  };
}

/** The daily digest: the held notifications, grouped by kind, each with its facts and link. */
export function renderDigest(language: string, notifications: MailNotification[], publicUrl: string, organisations: readonly OrganisationEntry[]): RenderedMail {
  const words = wordsFor(language);
  const kinds = [...new Set(notifications.map((n) => n.kind))];
  const text: string[] = [words.t('email.digest.intro', { count: notifications.length }), ''];
  const paragraphs: string[][] = [[text[0]!]];
  for (const kind of kinds) {
    for (const notification of notifications.filter((n) => n.kind === kind)) {
      const lines = [`- ${sentenceOf(words, notification, organisations)}`, ...factsOf(words, notification.data).map((f) => `  ${f}`), `  ${linkOf(publicUrl, notification)}`];
      text.push(...lines);
      paragraphs.push(lines);
    }
    text.push('');
  }
  text.push(words.t('email.signIn') + ` ${publicUrl.replace(/\/+$/, '')}/`, '');
  return {
    subject: words.t('email.digest.subject', { count: notifications.length }),
    text: text.join('\n'),
    html: htmlOf(words.code, paragraphs, { label: words.t('email.signIn'), href: `${publicUrl.replace(/\/+$/, '')}/` }),
  };
}
