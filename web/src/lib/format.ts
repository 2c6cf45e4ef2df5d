/** "2 d 03:04:05", "03:04:05", "04:05": a countdown that keeps its width while it ticks. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = h > 0 || days > 0 ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  return days > 0 ? `${days} d ${clock}` : clock;
}

/** "about 30 seconds to a minute", in words a shopper reads at a glance. */
export function formatWaitRange(min: number, max: number): string {
  const words = (s: number) => {
    if (s < 60) return `${Math.max(1, Math.round(s))} second${Math.round(s) === 1 ? '' : 's'}`;
    const minutes = Math.round(s / 60);
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  };
  if (max <= 0) return 'less than a second';
  if (words(min) === words(max)) return `about ${words(max)}`;
  return `${words(min)} to ${words(max)}`;
}

export function formatMoney(amountMinor: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amountMinor / 100);
  } catch {
    return `${(amountMinor / 100).toFixed(2)} ${currency}`;
  }
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** "1 unit", "3 units": counts in words, never "unit(s)". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A length of time as a person says it: "1 minute", "90 seconds" → "1 minute 30 seconds", "2 hours". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return plural(s, 'second');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = [h && plural(h, 'hour'), m && plural(m, 'minute'), rest && !h && plural(rest, 'second')].filter(Boolean);
  return parts.join(' ');
}

/** The shopper's own time zone, as the browser names it ("Europe/Paris"), for "opens at 18:00 Europe/Paris". */
export function timeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone';
}

/** "Tuesday 25 November, 18:00": the date and time of an opening in the shopper's own zone. */
export function formatOpening(iso: string): { date: string; time: string; zone: string } {
  const d = new Date(iso);
  return {
    date: d.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: d.getFullYear() === new Date().getFullYear() ? undefined : 'numeric' }),
    time: d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }),
    zone: d.toLocaleTimeString('en-GB', { timeZoneName: 'short' }).split(' ').pop() ?? timeZoneName(),
  };
}

/**
 * A short code a person can read out on the phone: the last 8 hex digits of the order id (a UUIDv7
 * whose first digits are its timestamp, so prefixes of orders from one drop all look alike).
 */
export function orderCode(id: string): string {
  const hex = id.replace(/-/g, '').toUpperCase();
  const tail = hex.slice(-8);
  return `${tail.slice(0, 4)}-${tail.slice(4)}`;
}

/** A path's numeric id, or null when the segment is not a canonical positive number ("abc", "03", "1e3"). */
export function parseId(segment: string | undefined): number | null {
  if (!segment || !/^[1-9][0-9]{0,15}$/.test(segment)) return null;
  return Number(segment);
}
