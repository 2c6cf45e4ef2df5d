import { useCallback, useMemo, useState } from 'react';
import type { Problem } from '../api/problem';

/** One rule per field: the sentence to show when the value is not acceptable, else undefined. */
export type Rules<V> = { [K in keyof V]?: (value: V[K], all: V) => string | undefined };
export type Errors<V> = Partial<Record<keyof V & string, string>>;

export function validate<V>(values: V, rules: Rules<V>): Errors<V> {
  const errors: Errors<V> = {};
  for (const name of Object.keys(rules) as (keyof V & string)[]) {
    const message = rules[name]?.(values[name], values);
    if (message) errors[name] = message;
  }
  return errors;
}

/**
 * The API's field errors as sentences under their fields: "Stock must be greater than 0." A
 * message that is already a sentence (starts upper-case) is kept as it is.
 */
export function serverFieldErrors<V>(problem: Problem | undefined, labels: Partial<Record<keyof V & string, string>>): Errors<V> {
  const errors: Errors<V> = {};
  if (!problem) return errors;
  const sentence = (field: keyof V & string, message: string) => {
    const text = /^[A-Z]/.test(message) ? message : `${labels[field]} ${message}`;
    return /[.!?]$/.test(text) ? text : `${text}.`;
  };
  for (const err of problem.errors ?? []) {
    if (err.field in labels) errors[err.field as keyof V & string] = sentence(err.field as keyof V & string, err.message);
  }
  if (!problem.errors?.length && problem.detail) {
    const first = problem.detail.split(' ')[0];
    if (first in labels) errors[first as keyof V & string] = sentence(first as keyof V & string, problem.detail.slice(first.length + 1));
  }
  return errors;
}

/**
 * A form's errors as the person filling it in should see them: every field's error at once after
 * a submit, a field's own error as soon as it was left once (and then live, as they type), and
 * the server's word on a field until that field changes.
 */
export function useValidation<V extends object>(values: V, rules: Rules<V>) {
  const [touched, setTouched] = useState<Partial<Record<keyof V, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ errors: Errors<V>; values: V } | null>(null);
  const all = useMemo(() => validate(values, rules), [values, rules]);
  const visible: Errors<V> = {};
  for (const name of Object.keys(all) as (keyof V & string)[]) {
    if (submitted || touched[name]) visible[name] = all[name];
  }
  if (server) {
    for (const name of Object.keys(server.errors) as (keyof V & string)[]) {
      if (!visible[name] && values[name] === server.values[name]) visible[name] = server.errors[name];
    }
  }
  const touch = useCallback((name: keyof V) => setTouched((t) => (t[name] ? t : { ...t, [name]: true })), []);
  /** Marks the form submitted; true when it may be sent. */
  const attempt = useCallback(() => {
    setSubmitted(true);
    setServer(null);
    return Object.keys(all).length === 0;
  }, [all]);
  const fromServer = useCallback((errors: Errors<V>) => setServer({ errors, values }), [values]);
  return { errors: visible, count: Object.keys(visible).length, touch, attempt, fromServer, submitted };
}

/** Moves focus to the first field marked invalid, so a keyboard or screen-reader user lands on it. */
export function focusFirstInvalid(form: HTMLFormElement | null) {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
