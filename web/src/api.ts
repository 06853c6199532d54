import { currentSession, endSession } from './session.js';

/** One fault of a problem: a JSON pointer into the request body ("" for the whole request), a catalogue code, its parameters. */
export interface ProblemError {
  pointer: string;
  in?: 'querystring' | 'params' | 'headers';
  code: string;
  params?: Record<string, unknown>;
}

/** An RFC 9457 problem as the API answers every error. */
export interface Problem {
  errors?: ProblemError[];
  status: number;
  code: string;
  title: string;
  detail: string;
  reason?: string;
  fields?: { path: string; message: string }[];
  actionId?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** No answer, or one that does not say whether the request was applied (a timeout, a server or proxy failure): send it again as it was. */
export const mayNotHaveArrived = (error: unknown) =>
  error instanceof NetworkError || (error instanceof ApiError && (error.problem.status === 408 || error.problem.status >= 500));

/** The request never got an answer (network down, server gone): it may or may not have been applied. */
export class NetworkError extends Error {}

let onSignedOut: () => void = () => {};
export const whenSignedOut = (listener: () => void) => {
  onSignedOut = listener;
};

/** Calls the API with the session's token; a problem answer throws ApiError, no answer NetworkError. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const session = currentSession();
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (session) headers.authorization = `Bearer ${session.token}`;
  // A file goes as its bytes: the API finds its encoding.
  const file = init.body instanceof Blob;
  if (init.body !== undefined) headers['content-type'] = file ? 'application/octet-stream' : 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : file ? (init.body as Blob) : JSON.stringify(init.body) });
  } catch {
    throw new NetworkError('no answer');
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's error page, or an answer cut short: only its status says anything.
    body = response.ok ? undefined : { status: response.status, code: 'unreadable', title: response.statusText, detail: '' };
  }
  if (!response.ok) {
    const problem = (body ?? { status: response.status, code: 'unknown', title: response.statusText, detail: '' }) as Problem;
    if (response.status === 401) {
      endSession();
      onSignedOut();
    }
    throw new ApiError(problem);
  }
  return body as T;
}

/** A query string of the values that are set. */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
