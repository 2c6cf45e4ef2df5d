import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useLogInMutation, useSignUpMutation } from '../api/api';
import { fieldErrors, type Problem } from '../api/problem';
import { loggedIn } from '../api/session';
import { useAppDispatch } from '../store';

/** Log in and sign up share one form; signing up logs in straight after. */
function AuthForm({ mode }: { mode: 'login' | 'signup' }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [logIn, login] = useLogInMutation();
  const [signUp, signup] = useSignUpMutation();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : '/';
  const busy = login.isLoading || signup.isLoading;
  const errors = fieldErrors(problem, ['email', 'password']);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    try {
      if (mode === 'signup') await signUp({ email, password }).unwrap();
      const session = await logIn({ email, password }).unwrap();
      dispatch(loggedIn(session));
      navigate(next, { replace: true });
    } catch (err) {
      setProblem(err as Problem);
    }
  }

  const title = mode === 'login' ? 'Log in' : 'Create an account';
  return (
    <form onSubmit={submit} noValidate className="card mx-auto max-w-sm space-y-4" aria-labelledby="auth-title">
      <h1 id="auth-title" className="text-2xl font-bold">{title}</h1>
      {problem && !errors.email && !errors.password && (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-900">{problem.status === 0 ? 'Network lost: check your connection and try again.' : problem.detail ?? problem.title}</p>
      )}
      <div>
        <label htmlFor="email" className="field-label">Email</label>
        <input id="email" type="email" autoComplete="email" required className="field-input" value={email}
          onChange={(e) => setEmail(e.target.value)} aria-invalid={!!errors.email} aria-describedby={errors.email ? 'email-error' : undefined} />
        {errors.email && <p id="email-error" className="field-error">Email {errors.email}</p>}
      </div>
      <div>
        <label htmlFor="password" className="field-label">Password</label>
        <input id="password" type="password" required minLength={8} autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          className="field-input" value={password} onChange={(e) => setPassword(e.target.value)}
          aria-invalid={!!errors.password} aria-describedby={errors.password ? 'password-error' : 'password-hint'} />
        {errors.password ? <p id="password-error" className="field-error">Password {errors.password}</p>
          : mode === 'signup' && <p id="password-hint" className="mt-1 text-sm text-slate-600">8 to 72 characters.</p>}
      </div>
      <button type="submit" className="btn-primary w-full" disabled={busy}>{busy ? 'Please wait…' : title}</button>
      <p className="text-sm text-slate-700">
        {mode === 'login' ? <>New here? <Link className="underline" to={`/signup?next=${encodeURIComponent(next)}`}>Sign up</Link></>
          : <>Have an account? <Link className="underline" to={`/login?next=${encodeURIComponent(next)}`}>Log in</Link></>}
      </p>
    </form>
  );
}

export const Login = () => <AuthForm mode="login" />;
export const Signup = () => <AuthForm mode="signup" />;
