import { useEffect, useRef, useState } from 'react';

/**
 * Seconds left of a wait that starts whenever `seconds` is given anew (a new failure), ticking to
 * 0 and then calling `onDone` once. null: no wait.
 */
export function useRetryCountdown(seconds: number | null, trigger: unknown, onDone?: () => void): number | null {
  const [left, setLeft] = useState<number | null>(seconds);
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => setLeft(seconds), [seconds, trigger]);
  useEffect(() => {
    if (left === null) return;
    if (left <= 0) {
      setLeft(null);
      done.current?.();
      return;
    }
    const timer = setTimeout(() => setLeft((l) => (l === null ? null : l - 1)), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return left;
}
