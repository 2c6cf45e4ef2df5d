import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { asProblem, NETWORK_PROBLEM, problemKind, type Problem } from '../api/problem';
import { formatDateTime } from '../lib/format';

interface Copy {
  title: string;
  body: string;
}

/** What each outcome means to a shopper, in plain words. */
export function describe(problem: Problem): Copy {
  switch (problemKind(problem)) {
    case 'sold-out':
      return { title: 'Sold out', body: 'Every unit of this sale has been sold or is held by another shopper. Units whose buyers do not pay in time come back; check again later.' };
    case 'not-enough-stock':
      return { title: 'Not that many left', body: `Only ${problem.unitsLeft ?? 'a few'} unit(s) are left. Choose a smaller quantity.` };
    case 'limit-reached':
      return { title: 'Limit reached', body: `You already have ${problem.unitsHeld ?? 'the most'} of at most ${problem.limit ?? 'the allowed number of'} unit(s) for this sale. Your earlier order is in My orders.` };
    case 'window-expired':
      return { title: 'Your shopping window has closed', body: 'You were admitted but the time to buy ran out, so your place went to the next shopper. You can join the queue again.' };
    case 'admission-required':
    case 'admission-invalid':
      return { title: 'Please queue first', body: 'Buying in this sale needs a place from the waiting room, and yours is missing or no longer valid. Join the queue again.' };
    case 'sale-not-open':
      return { title: 'Not open yet', body: problem.opensAt ? `This sale opens ${formatDateTime(problem.opensAt)}.` : 'This sale has not opened yet.' };
    case 'sale-closed':
      return { title: 'This sale is over', body: problem.detail ?? 'The sale has ended.' };
    case 'rate-limited':
      return { title: 'The server is busy', body: 'Too many requests are arriving at once. We will try again for you in a moment.' };
    case NETWORK_PROBLEM:
      return { title: 'Network lost', body: 'We cannot reach Miaosha right now. Check your connection; we will keep trying.' };
    case 'not-authenticated':
      return { title: 'Please log in', body: 'Your session has ended. Log in again to continue.' };
    case 'not-found':
      return { title: 'Not found', body: problem.detail ?? 'There is nothing here.' };
    default:
      return { title: problem.title || 'Something went wrong', body: problem.detail ?? 'Please try again.' };
  }
}

/**
 * The one screen for every failure. A 429 counts down its Retry-After and retries by itself;
 * a lost network retries every few seconds; both also offer a button.
 */
export function ProblemScreen({ problem: given, onRetry, retryLabel = 'Try again now' }: {
  problem: unknown; onRetry?: () => void; retryLabel?: string;
}) {
  const problem = asProblem(given);
  const kind = problemKind(problem);
  const { title, body } = describe(problem);
  const automatic = !!onRetry && (kind === 'rate-limited' || kind === NETWORK_PROBLEM);
  const firstWait = kind === 'rate-limited' ? Math.max(1, problem.retryAfter ?? 2) : 3;
  // Seconds until the automatic retry; null once it has been made (until the next failure).
  const [wait, setWait] = useState<number | null>(firstWait);
  const heading = useRef<HTMLHeadingElement>(null);
  const retry = useRef(onRetry);
  retry.current = onRetry;

  useEffect(() => heading.current?.focus(), []);
  // A new failure (a new problem object) starts a new countdown.
  useEffect(() => setWait(firstWait), [given, firstWait]);
  useEffect(() => {
    if (!automatic || wait === null) return;
    if (wait <= 0) {
      setWait(null);
      retry.current?.();
      return;
    }
    const timer = setTimeout(() => setWait((w) => (w === null ? null : w - 1)), 1000);
    return () => clearTimeout(timer);
  }, [automatic, wait]);

  return (
    <section role="alert" aria-labelledby="problem-title" data-problem={kind} className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 id="problem-title" ref={heading} tabIndex={-1} className="text-2xl font-bold text-slate-900 focus:outline-none">{title}</h1>
      <p className="mt-2 text-slate-700">{body}</p>
      {automatic && (
        <p className="mt-2 text-sm text-slate-600 tabular" aria-live="polite">{wait === null ? 'Retrying…' : `Retrying in ${Math.max(0, wait)} s…`}</p>
      )}
      <div className="mt-4 flex flex-wrap gap-3">
        {onRetry && (
          <button type="button" onClick={onRetry} className="btn-primary">
            {retryLabel}
          </button>
        )}
        {kind === 'not-authenticated' ? <Link className="btn-secondary" to="/login">Log in</Link> : <Link className="btn-secondary" to="/">All sales</Link>}
      </div>
    </section>
  );
}
