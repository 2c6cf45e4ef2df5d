import { formatCountdown } from '../lib/format';
import { useNow } from '../lib/useNow';

/** A ticking countdown; announces nothing by itself (screen readers get the label, not every tick). */
export function Countdown({ to, label, className = '' }: { to: string; label: string; className?: string }) {
  const now = useNow();
  const left = Date.parse(to) - now;
  return (
    <span className={`tabular ${className}`} aria-label={`${label}: ${formatCountdown(left)}`} role="timer">
      {formatCountdown(left)}
    </span>
  );
}
