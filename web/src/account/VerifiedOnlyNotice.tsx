import { Link, useLocation } from 'react-router';
import type { Sale } from '../api/types';
import { useSession } from '../store';
import { ResendVerification } from './ResendVerification';

export const VERIFIED_ONLY_REFUSAL = 'This sale is for accounts with a confirmed email. Check your inbox for the link, or send it again.';

/** On a sale for confirmed accounts only: says so before the shopper joins, and what to do without one. */
export function VerifiedOnlyNotice({ sale, refused = false }: { sale: Sale; refused?: boolean }) {
  const session = useSession();
  const location = useLocation();
  if (!sale.verifiedEmailOnly) return null;
  if (session?.account.emailVerified && !refused) {
    return <p className="notice-ok text-sm" data-testid="verified-only-notice">This sale is for accounts with a confirmed email. Yours is confirmed.</p>;
  }
  return (
    <section className="notice-danger space-y-2 text-sm" role={refused ? 'alert' : undefined} data-testid="verified-only-notice"
      aria-label="Confirmed email required">
      <p><strong>{refused ? 'Confirm your email first.' : 'For confirmed accounts only.'}</strong> {VERIFIED_ONLY_REFUSAL}</p>
      {session
        ? <ResendVerification email={session.account.email} />
        : <p><Link className="link" to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</Link> with an account whose email is confirmed.</p>}
    </section>
  );
}
