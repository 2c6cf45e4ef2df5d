import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { asProblem, NETWORK_PROBLEM, problemKind, type Problem } from '../api/problem';
import { formatDateTime, plural } from '../lib/format';

interface Copy {
  title: string;
  body: string;
}

/** What each outcome means to a shopper, in plain words and one voice (we, you). */
export function describe(problem: Problem): Copy {
  switch (problemKind(problem)) {
    case 'sold-out':
      return { title: 'Sold out', body: 'Every unit is sold or held by a shopper who is paying now. Units whose buyers do not pay in time come back, so it is worth checking again in a few minutes.' };
    case 'not-enough-stock':
      return { title: 'Not that many left', body: problem.unitsLeft !== undefined ? `Only ${plural(problem.unitsLeft, 'unit')} left. Choose fewer and try again.` : 'Fewer units are left than you asked for. Choose fewer and try again.' };
    case 'limit-reached':
      return {
        title: 'Limit reached',
        body: problem.limit === 1
          ? 'This sale allows one per customer and you already have yours. You will find it in My orders.'
          : `This sale allows ${problem.limit ?? 'a few'} per customer and you already have ${problem.unitsHeld ?? 'them'}. You will find your order in My orders.`,
      };
    case 'email-not-verified':
      return { title: 'Confirm your email first', body: 'This sale is for accounts with a confirmed email. Check your inbox for the link, or send it again.' };
    case 'window-expired':
      return { title: 'Your shopping window has closed', body: 'You were let in, but the time to buy ran out, so your turn went to the next shopper. You can join the queue again.' };
    case 'admission-required':
    case 'admission-invalid':
      return { title: 'Please queue first', body: 'To keep this drop fair, buying needs a turn from the waiting room, and yours is missing or has ended. Join the queue again.' };
    case 'sale-not-open':
      return { title: 'Not open yet', body: problem.opensAt ? `This sale opens on ${formatDateTime(problem.opensAt)}.` : 'This sale has not opened yet.' };
    case 'sale-closed':
      return { title: 'This sale is over', body: problem.detail ?? 'The sale has ended.' };
    case 'rate-limited':
      return { title: 'The server is busy', body: 'A lot of shoppers pressed the button at the same moment. We will try again for you, there is no need to reload.' };
    case 'too-many-logins':
      return { title: 'Too many attempts', body: 'There were too many log-in attempts. Wait for the countdown, then try again.' };
    case NETWORK_PROBLEM:
      return { title: 'Network lost', body: 'We cannot reach Miaosha right now. Check your connection; we will keep trying.' };
    case 'not-authenticated':
      return { title: 'Please log in', body: 'Your session has ended. Log in again to continue.' };
    case 'forbidden':
      return { title: problem.title || 'Not allowed', body: problem.detail ?? 'This page is not for your account.' };
    case 'not-found':
      return { title: problem.title && problem.title !== 'Not found' ? problem.title : 'Page not found', body: problem.detail ?? 'There is nothing at this address.' };
    default:
      if (problem.status >= 500 || problem.status === -1) {
        return { title: 'Something went wrong on our side', body: 'We could not finish that just now. It is not your fault; try again in a moment.' };
      }
      return { title: problem.title || 'Something went wrong', body: problem.detail ?? 'Please try again.' };
  }
}

/** Whether trying the same thing again can help: a busy server or a lost network, not a missing page. */
export function isTransient(problem: Problem): boolean {
  const kind = problemKind(problem);
  return kind === 'rate-limited' || kind === NETWORK_PROBLEM || problem.status >= 500 || problem.status === -1;
}

/**
 * The one screen for every failure. A 429 counts down its Retry-After and retries by itself;
 * a lost network retries every few seconds; both also offer a button.
 */
export function ProblemScreen({ problem: given, onRetry, retryLabel }: {
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
    <section role="alert" aria-labelledby="problem-title" data-problem={kind} className="card mx-auto max-w-lg p-6">
      <h1 id="problem-title" ref={heading} tabIndex={-1} className="text-2xl font-bold tracking-tight text-ink focus:outline-none">{title}</h1>
      <p className="mt-2 text-ink-soft">{body}</p>
      {automatic && (
        <p className="mt-2 text-sm text-muted tabular" aria-live="polite">{wait === null ? 'Retrying…' : `Retrying in ${Math.max(0, wait)} s…`}</p>
      )}
      <div className="mt-4 flex flex-wrap gap-3">
        {onRetry && (isTransient(problem) || retryLabel) && (
          <button type="button" onClick={onRetry} className="btn-primary">
            {retryLabel ?? 'Try again now'}
          </button>
        )}
        {kind === 'not-authenticated' ? <Link className="btn-primary" to="/login">Log in</Link>
          : <Link className={onRetry && isTransient(problem) ? 'btn-secondary' : 'btn-primary'} to="/">See all sales</Link>}
        {kind === 'not-found' && typeof window !== 'undefined' && window.history.length > 1 && (
          <button type="button" className="btn-secondary" onClick={() => window.history.back()}>Go back</button>
        )}
      </div>
    </section>
  );
}
