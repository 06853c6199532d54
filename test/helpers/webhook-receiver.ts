import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got, and whether its signature verified with the hook's secret. */
export interface Received {
  hook: string;
  id: string;
  timestamp: string;
  body: string;
  headers: IncomingHttpHeaders;
  verified: boolean;
  answered: number;
  at: number;
}

/**
 * A real webhook receiver on 127.0.0.1: one path per hook (`/<name>`), each verified with that
 * hook's secret by the standardwebhooks library, as an organisation's own system would. `answer`
 * says what it answers (500 while it is "down"); every request is kept, verified or not.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly secrets = new Map<string, string>();
  answer: (hook: string) => number = () => 200;
  /** Requests being answered now, per hook: a receiver must not get two at once. */
  readonly inFlight = new Map<string, number>();
  maxInFlight = 0;
  /** How long it takes to answer: a moment's work, so overlapping requests would show. */
  delayMs = 20;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const hook = (request.url ?? '/').slice(1);
        const now = (this.inFlight.get(hook) ?? 0) + 1;
        this.inFlight.set(hook, now);
        this.maxInFlight = Math.max(this.maxInFlight, now);
        const body = Buffer.concat(chunks).toString('utf8');
        const answered = this.answer(hook);
        this.received.push({
          hook,
          id: String(request.headers['webhook-id']),
          timestamp: String(request.headers['webhook-timestamp']),
          body,
          headers: request.headers,
          verified: this.verifies(hook, body, request.headers),
          answered,
          at: Date.now(),
        });
        setTimeout(() => {
          this.inFlight.set(hook, (this.inFlight.get(hook) ?? 1) - 1);
          response.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'down');
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Whether a body and its headers verify with the hook's secret (the library's check, timestamp tolerance included). */
  verifies(hook: string, body: string, headers: IncomingHttpHeaders): boolean {
    const secret = this.secrets.get(hook);
    if (!secret) return false;
    try {
      new Webhook(secret).verify(body, headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  }

  /** Verified requests that the receiver accepted, for one hook. */
  accepted(hook: string): Received[] {
    return this.received.filter((r) => r.hook === hook && r.verified && r.answered < 300);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
