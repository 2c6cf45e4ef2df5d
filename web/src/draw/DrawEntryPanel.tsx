import { Link, useLocation } from 'react-router';
import type { Sale } from '../api/types';
import { BigCountdown } from '../components/ui';
import { formatDuration, formatOpening } from '../lib/format';

/** "Tuesday 1 December at 20:30 (UTC)": a moment in the shopper's own time zone. */
function When({ iso }: { iso: string }) {
  const { date, time, zone } = formatOpening(iso);
  return (
    <span data-testid="opening-time"><time dateTime={iso}>{date} at {time}</time> ({zone})</span>
  );
}

/**
 * A queued sale before its opening: when entries to its draw open, then "Enter the draw" until the
 * opening, when every entrant's place is drawn; shoppers who come after join in order. A shopper who
 * is not signed in is asked to log in first and brought back here.
 */
export function DrawEntryPanel({ sale, loggedIn, onEnter, now }: { sale: Sale; loggedIn: boolean; onEnter: () => void; now: number }) {
  const location = useLocation();
  const login = `/login?next=${encodeURIComponent(location.pathname)}`;
  const entriesAt = sale.queueEnabled !== false && sale.drawEntriesOpenAt ? sale.drawEntriesOpenAt : null;
  const lead = entriesAt ? formatDuration((Date.parse(sale.opensAt) - Date.parse(entriesAt)) / 1000) : '';

  if (!entriesAt || now < Date.parse(entriesAt)) {
    return (
      <section className="card space-y-3" data-problem="sale-not-open" data-testid="draw-entries-later" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title" className="text-xl font-bold">Not open yet</h2>
        <BigCountdown to={sale.opensAt} label="Opens in" />
        {entriesAt ? (
          <p className="text-ink-soft">
            Entries to the draw open <When iso={entriesAt} />, {lead} before the opening. Everyone who enters before the
            opening gets a place drawn at random; after it, shoppers join in order. Keep this page open: it changes by itself.
          </p>
        ) : (
          <p className="text-ink-soft">Buying opens at the same moment. Keep this page open: it turns live by itself.</p>
        )}
        {!loggedIn && <p><Link className="link" to={login}>Log in now</Link> so you are ready when it opens.</p>}
      </section>
    );
  }
  return (
    <section className="card space-y-3" data-testid="draw-entries-open" aria-labelledby="draw-entry-title">
      <h2 id="draw-entry-title" className="text-xl font-bold">Enter the draw</h2>
      <BigCountdown to={sale.opensAt} label="The draw is at the opening, in" />
      <p className="text-ink-soft">
        Entries are open (since <When iso={entriesAt} />). Everyone who enters before the opening gets a place drawn at random
        when it opens, so there is no need to rush; shoppers who come after the opening join in order behind them.
      </p>
      {loggedIn ? (
        <button type="button" className="btn-primary w-full text-lg sm:w-auto" onClick={onEnter}>Enter the draw</button>
      ) : (
        <p><Link className="btn-primary" to={login}>Log in to enter the draw</Link> <span className="text-ink-soft">You come back here after.</span></p>
      )}
    </section>
  );
}
