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
