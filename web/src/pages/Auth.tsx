import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useLogInMutation, useSignUpMutation } from '../api/api';
import { problemKind, type Problem } from '../api/problem';
import { loggedIn } from '../api/session';
import { ErrorSummary, Field } from '../components/Field';
import { useRetryCountdown } from '../lib/useCountdown';
import { focusFirstInvalid, serverFieldErrors, useValidation, type Rules } from '../lib/validation';
import { useAppDispatch } from '../store';

interface Credentials {
  email: string;
  password: string;
}

const LABELS = { email: 'Email', password: 'Password' };

export const credentialRules = (mode: 'login' | 'signup'): Rules<Credentials> => ({
  email: (v) => (v.trim() === '' ? 'Enter your email address.' : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? undefined : 'Enter an email address such as name@example.com.'),
  password: (v) => {
    if (v === '') return 'Enter your password.';
    // Bcrypt reads 72 bytes; accented letters take two, emoji four (the API says so precisely).
    if (mode === 'signup' && (v.length < 8 || new TextEncoder().encode(v).length > 72)) return 'Password must be 8 to 72 characters.';
    return undefined;
  },
});
const RULES = { login: credentialRules('login'), signup: credentialRules('signup') };

/** Log in and sign up share one form; signing up logs in straight after. */
function AuthForm({ mode }: { mode: 'login' | 'signup' }) {
  const [values, setValues] = useState<Credentials>({ email: '', password: '' });
  const [problem, setProblem] = useState<Problem>();
  const [logIn, login] = useLogInMutation();
  const [signUp, signup] = useSignUpMutation();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = useRef<HTMLFormElement>(null);
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : '/';
  const busy = login.isLoading || signup.isLoading;
  const check = useValidation(values, RULES[mode]);
  const kind = problemKind(problem);
  const limited = kind === 'rate-limited' || kind === 'too-many-logins';
  // The edge's 429 is about a crowd and passes: send again by itself. The API's log-in throttle is
  // about this account: wait, then let the shopper press the button again.
  const wait = useRetryCountdown(limited ? Math.max(1, problem?.retryAfter ?? 5) : null, problem, () => {
    if (kind === 'rate-limited') void send();
  });

  async function send() {
    setProblem(undefined);
    try {
      if (mode === 'signup') await signUp(values).unwrap();
      const session = await logIn(values).unwrap();
      dispatch(loggedIn(session));
      navigate(next, { replace: true });
    } catch (err) {
      const p = err as Problem;
      const fields = serverFieldErrors<Credentials>(p, LABELS);
      if (Object.keys(fields).length) check.fromServer(fields);
      else setProblem(p);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!check.attempt()) {
      focusFirstInvalid(form.current);
      return;
    }
    void send();
  }

  let message: string | undefined;
  if (kind === 'rate-limited') message = wait === null ? 'Trying again…' : `Too many requests are arriving at once. We will try again for you in ${wait} s.`;
  else if (kind === 'too-many-logins') message = wait === null ? 'You can try again now.' : `Too many log-in attempts. You can try again in ${wait} s.`;
  else if (kind === 'email-taken') message = 'There is already an account with this email. Log in instead, or use another address.';
  else if (kind === 'bad-credentials') message = 'That email and password do not match. Check them and try again.';
  else if (problem?.status === 0) message = 'We could not reach Miaosha. Check your connection and try again.';
  else if (problem) message = problem.status >= 500 ? 'Something went wrong on our side. Try again in a moment.' : problem.detail ?? problem.title;

  const set = (name: keyof Credentials) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  const title = mode === 'login' ? 'Log in' : 'Create an account';
  return (
    <form ref={form} onSubmit={submit} noValidate className="card mx-auto max-w-sm space-y-4" aria-labelledby="auth-title">
      <h1 id="auth-title" className="text-2xl font-bold">{title}</h1>
      {message && <p role="alert" className="notice-danger text-sm tabular">{message}</p>}
      {check.submitted && <ErrorSummary count={check.count} />}
      <Field name="email" label="Email" type="email" autoComplete="email" value={values.email} onChange={set('email')}
        onBlur={() => check.touch('email')} error={check.errors.email} />
      <Field name="password" label="Password" type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
        value={values.password} onChange={set('password')} onBlur={() => check.touch('password')} error={check.errors.password}
        hint={mode === 'signup' ? '8 to 72 characters.' : undefined} />
      <button type="submit" className="btn-primary w-full" disabled={busy || (limited && wait !== null)}>{busy ? 'Please wait…' : title}</button>
      <p className="text-sm text-ink-soft">
        {mode === 'login' ? <>New here? <Link className="link" to={`/signup?next=${encodeURIComponent(next)}`}>Sign up</Link></>
          : <>Have an account? <Link className="link" to={`/login?next=${encodeURIComponent(next)}`}>Log in</Link></>}
      </p>
    </form>
  );
}

export const Login = () => <AuthForm mode="login" />;
export const Signup = () => <AuthForm mode="signup" />;
