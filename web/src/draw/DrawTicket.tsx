import { useEffect, useState } from 'react';
import { useDrawQuery } from '../api/api';
import { formatDateTime } from '../lib/format';
import type { QueueState } from '../queue/queueState';

/**
 * The shopper's ticket in the pre-opening draw. Before the opening: its id and when the secret behind
 * the draw is published. From the opening: the place it drew among all entrants (read from the
 * published draw) and the page that recomputes it, in a new tab so this one keeps its place.
 */
export function DrawTicket({ saleId, draw, now }: { saleId: number; draw: NonNullable<QueueState['draw']>; now: number }) {
  const revealed = now >= Date.parse(draw.revealAt);
  // Until the seed is out (the server's clock decides when), ask again every two seconds.
  const [seeded, setSeeded] = useState(false);
  const { data } = useDrawQuery(saleId, { skip: !revealed, pollingInterval: seeded ? 0 : 2000 });
  useEffect(() => {
    if (data?.seed) setSeeded(true);
  }, [data?.seed]);
  const place = data?.entrants ? data.entrants.indexOf(draw.ticketId) + 1 : 0;
  const verify = `/sales/${saleId}/draw?ticket=${encodeURIComponent(draw.ticketId)}`;
  const ticket = <code className="font-mono font-semibold text-ink" data-testid="ticket-id">{draw.ticketId}</code>;
  if (revealed && data?.seed && place > 0) {
    return (
      <p className="rounded-xl border border-line p-3 text-ink-soft" data-testid="draw-ticket" data-drawn-place={place}>
        The draw is done. Your place drawn at the opening:{' '}
        <strong className="tabular text-ink" data-testid="drawn-place">{place}</strong> of {data.entrants!.length} (ticket {ticket}).{' '}
        <a className="link" href={verify} target="_blank" rel="noopener">Verify your place on the draw page</a>.
      </p>
    );
  }
  return (
    <p className="rounded-xl border border-line p-3 text-sm text-ink-soft" data-testid="draw-ticket">
      You entered the draw before the opening, so your place is drawn at random. Your ticket in the draw is {ticket}.{' '}
      <a className="link" href={verify} target="_blank" rel="noopener">Check the draw</a>{' '}
      {revealed ? '(the draw is being published).' : `(the secret behind it is published when the sale opens, ${formatDateTime(draw.revealAt)}).`}
    </p>
  );
}
