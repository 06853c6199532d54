import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/index.js';
import { signDevToken } from '../../src/api/auth.js';
import type { Actor } from '../../src/domain/model.js';

export interface Answer {
  status: number;
  body: any;
  ms: number;
}

/** The people of one organisation: who opens, who records, and two supervisors for the four-eyes rule. */
export interface Crew {
  org: string;
  coordinator: Actor;
  staff: Actor;
  supervisors: [Actor, Actor];
}

/** The organisations the bench's phases act as, one each (bench/run.ts adds them to the directory). */
export const BENCH_ORGANISATIONS = ['bench', 'bench-caseload', 'bench-growth', 'bench-scale', 'bench-search', 'bench-export'] as const;

export function crewOf(org: (typeof BENCH_ORGANISATIONS)[number]): Crew {
  return {
    org,
    coordinator: { id: `${org}-coordinator`, role: 'coordinator', org },
    staff: { id: `${org}-staff`, role: 'staff', org },
    supervisors: [
      { id: `${org}-supervisor-a`, role: 'supervisor', org },
      { id: `${org}-supervisor-b`, role: 'supervisor', org },
    ],
  };
}

/** Requests to the real API, in this process through Fastify's inject: routing, validation, auth and all. */
export class BenchApi {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    readonly app: FastifyInstance,
    private readonly config: Config,
  ) {}

  /** The Authorization header of `actor`, for requests made over a socket. */
  async authorization(actor: Actor): Promise<string> {
    return `Bearer ${await this.token(actor)}`;
  }

  private token(actor: Actor): Promise<string> {
    if (!this.tokens.has(actor.id)) this.tokens.set(actor.id, signDevToken(this.config, actor));
    return this.tokens.get(actor.id)!;
  }

  async request(actor: Actor, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const authorization = `Bearer ${await this.token(actor)}`;
    const started = performance.now();
    const response = await this.app.inject({ method, url, payload: payload as object | undefined, headers: { authorization, ...headers } });
    const ms = performance.now() - started;
    return { status: response.statusCode, body: response.body ? response.json() : undefined, ms };
  }
}
