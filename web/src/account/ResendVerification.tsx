import { useState } from 'react';
import { useResendVerificationMutation } from '../api/api';
import { problemKind, type Problem } from '../api/problem';

/**
 * "Send it again": one more email with a new link. The API allows a few per hour and says when the
 * next one may go; that is what the shopper reads when the limit is reached.
 */
export function ResendVerification({ email }: { email: string }) {
  const [resend, { isLoading }] = useResendVerificationMutation();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();

  async function send() {
    setResult(undefined);
    try {
      await resend().unwrap();
      setResult({ ok: true, text: `We sent a new link to ${email}. It can take a minute to arrive; check your spam folder too.` });
    } catch (err) {
      const problem = err as Problem;
      const kind = problemKind(problem);
      if (kind === 'too-many-verification-emails') {
        const minutes = Math.max(1, Math.ceil((problem.retryAfter ?? 60) / 60));
        setResult({ ok: false, text: `We already sent several links within the hour. Check your inbox and spam folder, or ask again in ${minutes} min.` });
      } else if (kind === 'email-already-verified') {
        setResult({ ok: true, text: 'Your email is already confirmed. Log out and in again to use it here.' });
      } else if (problem.status === 0) {
        setResult({ ok: false, text: 'We could not reach Miaosha. Check your connection and try again.' });
      } else {
        setResult({ ok: false, text: problem.detail ?? 'We could not send the email just now. Try again in a minute.' });
      }
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className="rounded border border-line px-2 py-1 font-semibold hover:bg-surface-2 focus-visible:outline-2 focus-visible:outline-focus"
        onClick={() => void send()} disabled={isLoading} data-testid="resend-verification">
        {isLoading ? 'Sending…' : 'Send it again'}
      </button>
      {result && <span role="status" className={result.ok ? 'text-ink' : 'text-danger'}>{result.text}</span>}
    </span>
  );
}
