// A real SMTP server for tests: receives real SMTP, parses each message with mailparser, can be
// stopped (nothing listening on its port) and started again on the same port, and can hold its
// answer to DATA so a test can stop the sender in the middle of a delivery.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  raw: string;
}

export interface SmtpReceiver {
  url: string;
  port: number;
  /** Accepted messages, in arrival order (a message whose sender left before the answer is not). */
  received: ReceivedMail[];
  /** Holds the answer to every DATA until `release()`; `held` counts messages waiting. */
  hold(): void;
  release(): void;
  held(): number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtpReceiver(port = 0, host = '127.0.0.1'): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  let holding = false;
  let waiting: (() => void)[] = [];
  let server: SMTPServer | undefined;
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      // Stopping cuts open connections at once: a stopped server answers nothing.
      closeTimeout: 100,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        let closed = false;
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const answer = async () => {
            if (closed) return callback(new Error('the sender left'));
            const raw = Buffer.concat(chunks).toString('utf8');
            const parsed = await simpleParser(raw);
            received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              raw,
            });
            callback();
          };
          if (holding) waiting.push(() => void answer());
          else void answer();
        });
        // The sender went away while its answer was held: the message was never accepted.
        sessionClosed.set(session.id, () => (closed = true));
      },
      onClose(session) {
        sessionClosed.get(session.id)?.();
        sessionClosed.delete(session.id);
      },
    });
  const sessionClosed = new Map<string, () => void>();
  const listen = async (on: number) => {
    server = make();
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(on, host, () => resolve());
    });
    return (server.server.address() as AddressInfo).port;
  };
  const bound = await listen(port);
  return {
    url: `smtp://${host}:${bound}`,
    port: bound,
    received,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      const answers = waiting;
      waiting = [];
      for (const answer of answers) answer();
    },
    held: () => waiting.length,
    async stop() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async start() {
      await listen(bound);
    },
  };
}
