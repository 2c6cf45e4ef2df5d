import type { SaleStatus } from '../api/types';
import { formatCountdown, formatOpening } from '../lib/format';
import { useNow } from '../lib/useNow';

type Tone = 'ok' | 'warn' | 'neutral' | 'brand';
const TONES: Record<Tone, string> = {
  ok: 'bg-ok-soft text-ok',
  warn: 'bg-warn-soft text-warn',
  neutral: 'bg-surface-2 text-ink-soft',
  brand: 'bg-brand text-on-brand',
};

export function Badge({ tone, children, testId }: { tone: Tone; children: React.ReactNode; testId?: string }) {
  return <span data-testid={testId} className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-bold tracking-wide ${TONES[tone]}`}>{children}</span>;
}

const STATUS: Record<SaleStatus, { words: string; tone: Tone }> = {
  LIVE: { words: 'Live now', tone: 'brand' },
  UPCOMING: { words: 'Upcoming', tone: 'warn' },
  SOLD_OUT: { words: 'Sold out', tone: 'neutral' },
  ENDED: { words: 'Ended', tone: 'neutral' },
  CANCELLED: { words: 'Cancelled', tone: 'neutral' },
};

export function StatusBadge({ status }: { status: SaleStatus }) {
  const { words, tone } = STATUS[status];
  return <Badge tone={tone}>{status === 'LIVE' && <span className="h-1.5 w-1.5 rounded-full bg-current motion-safe:animate-pulse" aria-hidden="true" />}{words}</Badge>;
}

/**
 * Units left as a bar: how much of the drop is still there, at a glance, with the number beside it;
 * {@code note} (the live feed's freshness) takes the place of the plain "● live".
 */
export function StockBar({ left, total, live, note }: { left: number; total: number; live?: boolean; note?: React.ReactNode }) {
  const share = total > 0 ? Math.min(1, Math.max(0, left / total)) : 0;
  const low = share > 0 && share <= 0.2;
  return (
    <div>
      <p className="flex items-baseline gap-1 text-ink-soft">
        <span className="tabular inline-block min-w-[3ch] text-right text-2xl font-bold text-ink" data-testid="units-left" aria-live="polite">{left}</span>
        <span>of {total} left</span>
        {low && <span className="ml-2 font-semibold text-danger">Almost gone</span>}
        {note ? <span className="ml-auto">{note}</span> : live && <span className="ml-auto text-xs font-semibold text-ok">● live</span>}
      </p>
      <div className="mt-1 h-2.5 w-full overflow-hidden rounded-full bg-surface-2" aria-hidden="true">
        <div className={`h-full rounded-full transition-[width] duration-700 ${low ? 'bg-danger' : 'bg-brand'}`} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
    </div>
  );
}

/** The countdown of a drop: big digits, then the day, the time and the shopper's own time zone. */
export function BigCountdown({ to, label }: { to: string; label: string }) {
  const now = useNow();
  const left = Math.max(0, Date.parse(to) - now);
  const total = Math.ceil(left / 1000);
  const units = [
    ['days', Math.floor(total / 86400)],
    ['hours', Math.floor((total % 86400) / 3600)],
    ['minutes', Math.floor((total % 3600) / 60)],
    ['seconds', total % 60],
  ] as const;
  const shown = units[0][1] > 0 ? units : units.slice(1);
  const { date, time, zone } = formatOpening(to);
  return (
    <div>
      <p className="eyebrow">{label}</p>
      <div role="timer" aria-label={`${label}: ${formatCountdown(left)}`} className="mt-1 flex gap-2 sm:gap-3">
        {shown.map(([unit, value]) => (
          <div key={unit} className="min-w-16 rounded-xl bg-surface-2 px-2 py-2 text-center sm:min-w-20">
            <div className="tabular text-4xl font-black leading-none text-ink sm:text-display" aria-hidden="true">{String(value).padStart(2, '0')}</div>
            <div className="mt-1 text-xs font-medium text-muted" aria-hidden="true">{unit}</div>
          </div>
        ))}
      </div>
      <p className="mt-2 text-ink-soft" data-testid="opening-time">
        <time dateTime={to}>{date} at {time}</time> <span className="text-muted">({zone}, your time)</span>
      </p>
    </div>
  );
}

/**
 * A ring that empties as time runs out: the shopping window, then the hold. Under 30 s it turns
 * urgent (colour and words), and screen readers hear the time at most every 10 s.
 */
export function RingCountdown({ to, total, label, size = 64 }: { to: string; total: number; label: string; size?: number }) {
  const now = useNow(250);
  const left = Math.max(0, Date.parse(to) - now);
  const share = total > 0 ? Math.min(1, left / (total * 1000)) : 0;
  const urgent = left < 30_000;
  const r = size / 2 - 5;
  const c = 2 * Math.PI * r;
  return (
    <div className="flex items-center gap-3" data-testid="ring-countdown" data-urgent={urgent || undefined}>
      <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true" className="-rotate-90 flex-none">
        <circle cx={size / 2} cy={size / 2} r={r} fill="none" strokeWidth="6" className="stroke-surface-2" />
        <circle cx={size / 2} cy={size / 2} r={r} fill="none" strokeWidth="6" strokeLinecap="round"
          className={urgent ? 'stroke-danger' : 'stroke-brand'} strokeDasharray={c} strokeDashoffset={c * (1 - share)} />
      </svg>
      <div>
        <div className="text-xs font-medium text-muted">{label}</div>
        <span role="timer" aria-label={`${label}: ${formatCountdown(left)}`} className={`tabular text-2xl font-bold ${urgent ? 'text-danger' : 'text-ink'}`}>
          {formatCountdown(left)}
        </span>
        {urgent && left > 0 && <span className="ml-2 text-sm font-semibold text-danger">Hurry</span>}
      </div>
    </div>
  );
}
