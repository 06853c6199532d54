// One pooled SMTP transport per server and sender: every e-mail of the process goes through it.
import nodemailer from 'nodemailer';
import type { Config } from '../../../config/index.js';
import { LOOPBACK_HOSTS } from '../../../config/settings.js';

/** One message, already rendered; `messageId` is stable for a delivery, so a receiver can tell a resend. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  /** Closes the pool's connections; a send in progress fails. */
  close(): void;
}

/** Host without IPv6 brackets, as the transport takes it. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * What the transport is given: smtps:// speaks TLS from the start; smtp:// must upgrade with
 * STARTTLS (a server that does not offer it is refused), except on this machine (the catcher).
 */
export function transportOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  return {
    pool: true as const,
    maxConnections: 3,
    host: hostOf(url),
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    requireTLS: !secure && !loopback,
    ignoreTLS: !secure && loopback,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  };
}

export function createMailer(email: Config['email']): Mailer {
  if (!email.smtpUrl) throw new Error('No SMTP server: set SMTP_URL.');
  const transport = nodemailer.createTransport(transportOptions(email.smtpUrl));
  return {
    async send(mail) {
      await transport.sendMail({
        from: email.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        // Plain ASCII bodies in any language: the catcher reads them without a MIME library.
        textEncoding: 'base64',
      });
    },
    close: () => transport.close(),
  };
}

/** The domain of the sender's address, for Message-IDs. */
export function mailDomain(from: string): string {
  return /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'pathways.invalid';
}

/** A delivery's Message-ID: the same on every attempt, so a receiver can drop a resend. */
export const messageIdOf = (deliveryId: string, from: string) => `<${deliveryId}@${mailDomain(from)}>`;

const mailers = new Map<string, Mailer>();

/** The process's mailer for this configuration, made on first use. */
export function mailerFor(email: Config['email']): Mailer | undefined {
  if (!email.smtpUrl) return undefined;
  const key = `${email.smtpUrl}\n${email.from}`;
  let mailer = mailers.get(key);
  if (!mailer) {
    mailer = createMailer(email);
    mailers.set(key, mailer);
  }
  return mailer;
}

/** Closes every mailer (the process stops, or a test stands for one killed). */
export function closeMailers(): void {
  for (const mailer of mailers.values()) mailer.close();
  mailers.clear();
}
