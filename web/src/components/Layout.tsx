import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { loggedOut } from '../api/session';
import { useAppDispatch, useSession } from '../store';

const navClass = ({ isActive }: { isActive: boolean }) =>
  `rounded px-2 py-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 ${isActive ? 'font-semibold text-red-800 underline' : 'text-slate-700 hover:text-red-800'}`;

export function Layout() {
  const session = useSession();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  return (
    <div className="min-h-screen flex flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center gap-2 px-4 py-3 text-sm">
          <Link to="/" className="mr-auto text-lg font-bold tracking-tight text-red-800">Miaosha</Link>
          <NavLink to="/" end className={navClass}>Sales</NavLink>
          {session && <NavLink to="/orders" className={navClass}>My orders</NavLink>}
          {session?.account.role === 'admin' && <NavLink to="/admin" className={navClass}>Admin</NavLink>}
          {session ? (
            <>
              <span className="hidden text-slate-600 sm:inline" data-testid="signed-in-as">{session.account.email}</span>
              <button
                type="button"
                className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-red-700"
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
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}
