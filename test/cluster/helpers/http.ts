import { setTimeout as sleep } from 'node:timers/promises';

/** One answer the service gave, as a client saw it. */
export interface Answer {
  status: number;
  /** How many attempts the answer took (a retry repeats the same request). */
  attempts?: number;
  retryAfter?: string;
  body: any;
  method: string;
  route: string;
}

/** Every answer of a run, so the test can check what callers were told, fault by fault. */
export class AnswerLog {
  readonly answers: (Answer & { phase: string })[] = [];
  /** Requests that got no HTTP answer at all (the API was down), by phase: connection refused, reset, timed out. */
  readonly unanswered: Record<string, number> = {};
  phase = 'start';

  add(answer: Answer) {
    this.answers.push({ ...answer, phase: this.phase });
  }

  /** Every 5xx that is not a 503 with Retry-After (and, for an action, the actionId to retry with). */
  badServerErrors(): Answer[] {
    return this.answers.filter((a) => {
      if (a.status < 500) return false;
      const isAction = a.method === 'POST' && a.route.endsWith('/actions');
      return !(a.status === 503 && Number(a.retryAfter) > 0 && (!isAction || typeof a.body?.actionId === 'string'));
    });
  }

  count(phase: string, status: number): number {
    return this.answers.filter((a) => a.phase === phase && a.status === status).length;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
/** Bounds every retry loop: a request the service never answers fails the test instead of hanging it. */
const MAX_ATTEMPTS = 200;

/**
 * A client of the API that behaves as the README asks: it retries a request the service did not
 * answer, or answered 503 or 429, after Retry-After, with the same actionId or Idempotency-Key.
 */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly log: AnswerLog,
  ) {}

  /** One attempt; undefined when no HTTP answer came back. */
  async once(token: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer | undefined> {
    try {
      const response = await fetch(`${this.baseUrl}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      const answer: Answer = {
        status: response.status,
        retryAfter: response.headers.get('retry-after') ?? undefined,
        body: text ? JSON.parse(text) : undefined,
        method,
        route: route.replace(/[0-9a-f-]{36}/g, ':id'),
      };
      this.log.add(answer);
      return answer;
    } catch {
      this.log.unanswered[this.log.phase] = (this.log.unanswered[this.log.phase] ?? 0) + 1;
      return undefined;
    }
  }

  /** Retries until the service gives a definite answer: anything but no answer, 503 and 429. */
  async request(token: () => Promise<string>, method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const answer = await this.once(await token(), method, route, body, headers);
      if (answer && answer.status !== 503 && answer.status !== 429) return { ...answer, attempts: attempt };
      // Retry-After is honoured; with no answer at all, try again shortly.
      await sleep(answer ? Math.min(Number(answer.retryAfter) || 1, 10) * 1000 : 500);
    }
    throw new Error(`${method} ${route}: no definite answer after ${MAX_ATTEMPTS} attempts`);
  }
}
