/** RFC 9457 problem details as the API (and the nginx edge) answer them, plus the client's own cases. */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  /** Seconds to wait before retrying (the Retry-After header of a 429). */
  retryAfter?: number;
  unitsLeft?: number;
  limit?: number;
  unitsHeld?: number;
  opensAt?: string;
}

export const NETWORK_PROBLEM = 'network-lost';

/** The last path segment of the problem type: "https://miaosha.dev/problems/sold-out" -> "sold-out". */
export function problemKind(problem: Pick<Problem, 'type' | 'status'> | undefined): string {
  if (!problem) return 'unknown';
  const slug = problem.type?.split('/').pop();
  if (slug && slug !== 'about:blank') return slug;
  if (problem.status === 429) return 'rate-limited';
  return `http-${problem.status}`;
}

/** Turns whatever fetchBaseQuery reports into a Problem the screens can rely on. */
export function toProblem(error: unknown, retryAfterHeader?: string | null): Problem {
  const e = error as { status?: unknown; data?: unknown; error?: string };
  if (typeof e?.status === 'number') {
    const data = (e.data && typeof e.data === 'object' ? e.data : {}) as Partial<Problem>;
    const retryAfter = retryAfterHeader ? Number.parseInt(retryAfterHeader, 10) : undefined;
    return {
      ...data,
      type: data.type ?? (e.status === 429 ? 'https://miaosha.dev/problems/rate-limited' : 'about:blank'),
      title: data.title ?? `HTTP ${e.status}`,
      status: e.status,
      retryAfter: Number.isFinite(retryAfter) ? retryAfter : data.retryAfter,
    };
  }
  return {
    type: NETWORK_PROBLEM,
    title: 'Network lost',
    status: 0,
    detail: e?.error ?? 'The server could not be reached.',
  };
}

/** Field errors of a 400 keyed by field name; cross-field details that start with a field name go there too. */
export function fieldErrors(problem: Problem | undefined, fields: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  if (!problem) return result;
  for (const err of problem.errors ?? []) {
    if (fields.includes(err.field)) result[err.field] = err.message;
  }
  if (!problem.errors?.length && problem.detail) {
    const first = problem.detail.split(' ')[0];
    if (fields.includes(first)) result[first] = problem.detail.slice(first.length + 1);
  }
  return result;
}

/** RTK Query types an error as Problem | SerializedError; the latter (a thrown exception) becomes a generic Problem. */
export function asProblem(error: unknown): Problem {
  const e = error as Partial<Problem> & { message?: string };
  if (e && typeof e.type === 'string' && typeof e.status === 'number') return e as Problem;
  return { type: 'about:blank', title: 'Something went wrong', status: -1, detail: e?.message };
}
