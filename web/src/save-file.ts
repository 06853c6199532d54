import { ApiError, NetworkError, type Problem } from './api.js';
import { currentSession } from './session.js';

/**
 * Fetches a file with the session's token (it is no cookie, so a plain link would not carry it)
 * and saves it under `name` through an object URL, let go of once saved.
 */
export async function saveFile(path: string, name: string, accept: string): Promise<void> {
  const session = currentSession();
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: `${accept}, application/problem+json`, ...(session ? { authorization: `Bearer ${session.token}` } : {}) } });
  } catch {
    throw new NetworkError('no answer');
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => undefined)) as Problem | undefined;
    throw new ApiError(problem ?? { status: response.status, code: 'unknown', title: response.statusText, detail: '' });
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
