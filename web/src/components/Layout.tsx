import { Suspense } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { VerifyEmailBanner } from '../account/VerifyEmailBanner';
import { loggedOut } from '../api/session';
import { useAppDispatch, useSession } from '../store';

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded px-2 py-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus ${isActive ? 'font-semibold text-danger underline' : 'text-ink-soft hover:text-danger'}`;

export function Layout() {
  const session = useSession();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  return (
    <div className="min-h-screen flex flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-surface focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-line bg-surface">
        <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center gap-2 px-4 py-3 text-sm">
          <Link to="/" className="mr-auto text-lg font-bold tracking-tight text-danger">Miaosha</Link>
          <NavLink to="/" end className={navClass}>Sales</NavLink>
          {session && <NavLink to="/orders" className={navClass}>My orders</NavLink>}
          {session?.account.role === 'admin' && <NavLink to="/admin" className={navClass}>Admin</NavLink>}
          {session ? (
            <>
              <span className="hidden text-muted sm:inline" data-testid="signed-in-as">{session.account.email}</span>
              <button
                type="button"
                className="rounded border border-line px-2 py-1 hover:bg-surface-2 focus-visible:outline-2 focus-visible:outline-focus"
                onClick={() => {
                  dispatch(loggedOut());
                  navigate('/');
                }}
              >
                Log out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/login" className={navClass}>Log in</NavLink>
              <NavLink to="/signup" className={navClass}>Sign up</NavLink>
            </>
          )}
        </nav>
      </header>
      <VerifyEmailBanner />
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/**
 * What a page shows while its code loads: the same calm placeholder as the prerendered shell in
 * index.html, so the hand-over from the shell to the app does not flash.
 */
export function PageLoading() {
  return (
    <div className="animate-pulse" aria-busy="true">
      <p className="sr-only" role="status">Loading…</p>
      <div className="h-8 w-2/3 max-w-md rounded-lg bg-surface-2" />
      <div className="mt-6 h-56 w-full rounded-2xl bg-surface-2" />
    </div>
  );
}
