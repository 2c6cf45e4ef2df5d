import { useLocation } from 'react-router';
import { useSession } from '../store';
import { ResendVerification } from './ResendVerification';

/** Under the header for a logged-in shopper whose email is not confirmed yet (not on the page that confirms it). */
export function VerifyEmailBanner() {
  const session = useSession();
  const location = useLocation();
  if (!session || session.account.emailVerified || location.pathname === '/verify-email') return null;
  return (
    <aside aria-label="Confirm your email" className="border-b border-line bg-surface-2" data-testid="verify-email-banner">
      <p className="mx-auto flex max-w-5xl flex-wrap items-center gap-2 px-4 py-2 text-sm">
        <span>
          <strong>Confirm your email.</strong> We sent a link to {session.account.email}; some sales are open only to
          accounts with a confirmed email.
        </span>
        <ResendVerification email={session.account.email} />
      </p>
    </aside>
  );
}
