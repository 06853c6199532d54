/** How long a receiver has to answer one request. */
export const SEND_TIMEOUT_MS = 10_000;

/** What one request to a receiver came to. */
export interface SendResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/**
 * POSTs a signed payload. Only a 2xx answer counts as delivered; a redirect is not followed (the
 * hook's address is what its supervisors chose) and counts as a failure, like a timeout.
 */
export async function send(url: string, body: string, headers: Record<string, string>, timeoutMs = SEND_TIMEOUT_MS): Promise<SendResult> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'Pathways-Webhooks/1', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not needed: dropped unread.
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, ...(ok ? {} : { error: `HTTP ${response.status}` }), durationMs: performance.now() - started };
  } catch (error) {
    return { ok: false, error: describe(error), durationMs: performance.now() - started };
  }
}

/**
 * Why there was no answer, as a code any language can show: `timeout`, or the network's own
 * (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED…); never the payload.
 */
function describe(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? 'no-answer';
}
