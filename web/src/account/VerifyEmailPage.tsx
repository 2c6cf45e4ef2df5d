import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useVerifyEmailMutation } from '../api/api';
import { problemKind, type Problem } from '../api/problem';
import { loggedIn } from '../api/session';
import type { EmailConfirmed } from '../api/types';
import { useAppDispatch, useSession } from '../store';
import { ResendVerification } from './ResendVerification';

/** The token from the link's fragment (#token=...): a fragment never reaches a server or a Referer. */
export function tokenOf(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.length > 0 ? token : null;
}

/** The page the email's link opens: confirms the address once, on arrival. */
export function VerifyEmailPage() {
  const location = useLocation();
  const session = useSession();
  const dispatch = useAppDispatch();
  const [verify] = useVerifyEmailMutation();
  const [outcome, setOutcome] = useState<{ confirmed?: EmailConfirmed; problem?: Problem }>();
  const sent = useRef(false);
  const token = tokenOf(location.hash);

  useEffect(() => {
    // Once: a link confirms once, and a second post would only answer "already used".
    if (!token || sent.current) return;
    sent.current = true;
    verify({ token }).unwrap()
      .then((confirmed) => {
        if (confirmed.session) dispatch(loggedIn(confirmed.session));
        setOutcome({ confirmed });
      })
      .catch((problem: Problem) => setOutcome({ problem }));
  }, [token, verify, dispatch]);

  let title: string;
  let body: React.ReactNode;
  if (!token) {
    title = 'This link is incomplete';
    body = <p>The address has no confirmation token. Open the link from the email again, or copy the whole address.</p>;
  } else if (!outcome) {
    title = 'Confirming your email…';
    body = <p aria-busy="true">One moment.</p>;
  } else if (outcome.confirmed) {
    title = 'Your email is confirmed';
    body = (
      <>
        <p data-testid="email-confirmed">Thank you: {outcome.confirmed.account.email} is confirmed. Sales for confirmed accounts are open to you now.</p>
        {outcome.confirmed.session || session?.account.id === outcome.confirmed.account.id
          ? <p><Link className="btn-primary" to="/">Back to the sales</Link></p>
          : <p><Link className="btn-primary" to="/login">Log in to shop</Link></p>}
      </>
    );
  } else {
    const kind = problemKind(outcome.problem);
    title = kind === 'verification-link-expired' ? 'This link has expired'
      : kind === 'verification-link-used' ? 'This link was already used'
        : kind === 'verification-link-invalid' ? 'This link is not valid' : 'We could not confirm your email';
    body = (
      <>
        <p>{outcome.problem?.status === 0 ? 'We could not reach Miaosha. Check your connection and reload this page.' : outcome.problem?.detail}</p>
        {session && !session.account.emailVerified
          ? <p><ResendVerification email={session.account.email} /></p>
          : !session && <p><Link className="link" to="/login">Log in</Link> to send a new link.</p>}
      </>
    );
  }
  return (
    <section className="card mx-auto max-w-lg space-y-3" aria-labelledby="verify-title" data-outcome={outcome?.confirmed ? 'confirmed' : outcome?.problem ? problemKind(outcome.problem) : 'pending'}>
      <h1 id="verify-title" className="text-2xl font-bold">{title}</h1>
      {body}
    </section>
  );
}
