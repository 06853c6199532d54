// Development: an SMTP server on this machine that keeps the last messages in memory for the console.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../../logger.js';

/** A caught message, as the console shows it. */
export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  date: string;
}

export interface MailCatcher {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  /** Newest first. */
  messages(): CaughtMail[];
  stop(): Promise<void>;
}

const KEPT = 200;
const MAX_BYTES = 1024 * 1024;

/** RFC 2047 encoded words (=?UTF-8?B?…?= and ?Q?), as nodemailer writes non-ASCII headers. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

function headersOf(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) headers.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  return headers;
}

function bodyText(headers: Map<string, string>, body: string): string {
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/**
 * The plain text of a message as our own mailer writes it (one part, or multipart/alternative
 * with a text/plain part): enough for the catcher, which only ever sees this service's mail.
 */
export function readMessage(raw: string): { subject: string; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = headersOf(raw.slice(0, split));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const subject = decodeWords(headers.get('subject') ?? '');
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (!boundary) return { subject, text: bodyText(headers, body) };
  for (const part of body.split(`--${boundary}`)) {
    const at = part.search(/\r?\n\r?\n/);
    if (at < 0) continue;
    const partHeaders = headersOf(part.slice(0, at).replace(/^\r?\n/, ''));
    if ((partHeaders.get('content-type') ?? '').toLowerCase().startsWith('text/plain')) {
      return { subject, text: bodyText(partHeaders, part.slice(at).replace(/^\r?\n\r?\n/, '')).trimEnd() };
    }
  }
  return { subject, text: '' };
}

/** Starts the catcher on 127.0.0.1 (a free port): plain SMTP, no sign-in, nothing leaves the machine. */
export async function startMailCatcher(logger: Logger): Promise<MailCatcher> {
  const caught: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_BYTES,
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { subject, text } = readMessage(Buffer.concat(chunks).toString('utf8'));
        caught.unshift({ to: session.envelope.rcptTo.map((r) => r.address), subject, text, date: new Date().toISOString() });
        caught.length = Math.min(caught.length, KEPT);
        callback();
      });
    },
  });
  server.on('error', (error) => logger.warn({ err: error }, 'the development mail catcher had an error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages: () => [...caught],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
