import type { LiveConnectionState } from './LiveConnection';

/**
 * How fresh the units left are: "● live · updated 3 s ago" while the feed is open, "reconnecting…"
 * (with the age of what is shown) while it is lost. Nothing before the feed said anything.
 */
export function LiveStatus({ connection, updatedAt, now }: { connection: LiveConnectionState; updatedAt: number | null; now: number }) {
  if (updatedAt === null) return null;
  const ago = Math.max(0, Math.round((now - updatedAt) / 1000));
  const updated = ago < 2 ? 'updated just now' : `updated ${ago} s ago`;
  if (connection === 'open') {
    return <span className="text-xs font-semibold text-ok" data-testid="live-status" data-connection="open">● live · <span data-testid="live-updated">{updated}</span></span>;
  }
  if (connection === 'closed') return null;
  return (
    <span className="text-xs font-semibold text-warn" data-testid="live-status" data-connection="reconnecting" role="status">
      reconnecting… · <span data-testid="live-updated">{updated}</span>
    </span>
  );
}
