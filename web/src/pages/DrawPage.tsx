import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useDrawQuery } from '../api/api';
import type { Problem } from '../api/problem';
import type { Draw } from '../api/types';
import { Countdown } from '../components/Countdown';
import { ProblemScreen } from '../components/ProblemScreen';
import { checkDraw, drawValue, placeOf, type DrawCheck } from '../draw/drawFunction';
import { formatDateTime, parseId } from '../lib/format';

const NO_DRAW: Problem = {
  type: 'not-found', title: 'No draw for this sale', status: 404,
  detail: 'Only a sale with a waiting room has a draw, among the shoppers who join before it opens. This one has none (yet).',
};

/** /sales/:id/draw: anyone can check a sale's pre-opening draw here, with nothing but this browser. */
export function DrawPage() {
  const saleId = parseId(useParams().id);
  if (saleId === null) return <ProblemScreen problem={NO_DRAW} />;
  return <DrawScreen key={saleId} saleId={saleId} />;
}

function DrawScreen({ saleId }: { saleId: number }) {
  const { data: draw, error, refetch } = useDrawQuery(saleId);
  const [params] = useSearchParams();

  // The seed is published at the opening: fetch again then, so the check starts by itself.
  useEffect(() => {
    if (!draw || draw.seed) return;
    const ms = Date.parse(draw.revealAt) - Date.now();
    const timer = setTimeout(refetch, ms > 3_600_000 ? 3_600_000 : Math.max(0, ms) + 1500);
    return () => clearTimeout(timer);
  }, [draw, refetch]);

  if (error) {
    const notFound = 'status' in error && error.status === 404;
    return <ProblemScreen problem={notFound ? NO_DRAW : error} onRetry={notFound ? undefined : refetch} />;
  }
  if (!draw) return <p className="text-muted" aria-busy="true">Loading the draw…</p>;
  return <DrawDetails draw={draw} initialTicket={params.get('ticket') ?? ''} />;
}

type Checking = DrawCheck | 'checking' | { failed: string } | null;

/** The draw and its check: the commitment, then the seed, whether it matches, and a shopper's recomputed place. */
export function DrawDetails({ draw, initialTicket = '' }: { draw: Draw; initialTicket?: string }) {
  const [check, setCheck] = useState<Checking>(null);
  const [ticket, setTicket] = useState(initialTicket);
  const { seed, entrants, commitment } = draw;

  useEffect(() => {
    if (!seed || !entrants) return;
    let current = true;
    setCheck('checking');
    checkDraw(seed, commitment, entrants).then(
      (result) => current && setCheck(result),
      (e: Error) => current && setCheck({ failed: e.message }),
    );
    return () => {
      current = false;
    };
  }, [seed, commitment, entrants]);

  return (
    <article className="mx-auto max-w-3xl space-y-5" aria-labelledby="draw-title">
      <header className="space-y-2">
        <h1 id="draw-title" className="text-3xl font-black tracking-tight">The draw of this sale</h1>
        <p className="text-ink-soft">
          Everyone who joined the queue before the opening got a place drawn at random. Before anyone joined, we fixed a
          secret number (the seed) and published its fingerprint (the commitment). At the opening the seed is published:
          you can check here that it is the one we committed to, and that it gives the published order, without trusting us.
        </p>
        <p><Link className="link" to={`/sales/${draw.saleId}`}>Back to the sale</Link></p>
      </header>

      <section className="card space-y-3" aria-labelledby="commitment-title">
        <h2 id="commitment-title" className="text-xl font-bold">Commitment</h2>
        <p className="break-all font-mono text-sm" data-testid="commitment">{commitment}</p>
        <p className="text-ink-soft">
          Seed revealed at the opening, {formatDateTime(draw.revealAt)}
          {!seed && <> (in <Countdown to={draw.revealAt} label="Seed revealed in" />)</>}.
        </p>
      </section>

      <section className="card space-y-3" aria-labelledby="seed-title" aria-live="polite">
        <h2 id="seed-title" className="text-xl font-bold">Seed</h2>
        {!seed ? (
          <p className="text-ink-soft" data-testid="seed-hidden">Not published yet: it stays secret until the sale opens, so nobody can foresee the order.</p>
        ) : (
          <>
            <p className="break-all font-mono text-sm" data-testid="seed">{seed}</p>
            <CheckResult check={check} entrants={entrants?.length ?? 0} />
          </>
        )}
      </section>

      <TicketPlace draw={draw} check={check} ticket={ticket} onTicket={setTicket} />

      <section className="space-y-1 text-sm text-ink-soft" aria-labelledby="function-title">
        <h2 id="function-title" className="font-bold text-ink">How the order follows from the seed</h2>
        <p><code className="break-words font-mono" data-testid="function">{draw.function}</code></p>
      </section>
    </article>
  );
}

function CheckResult({ check, entrants }: { check: Checking; entrants: number }) {
  if (check === null || check === 'checking') return <p className="text-muted" role="status">Checking in your browser…</p>;
  if ('failed' in check) return <p className="notice-warn" role="alert">This browser could not check the draw: {check.failed}</p>;
  return (
    <ul className="space-y-2" data-testid="check">
      <li className={check.seedMatches ? 'notice-ok' : 'notice-danger'} data-testid="seed-check">
        {check.seedMatches ? '✓ The seed matches the commitment published before the opening.' : '✗ The seed does NOT match the commitment.'}
      </li>
      <li className={check.orderMatches ? 'notice-ok' : 'notice-danger'} data-testid="order-check">
        {check.orderMatches
          ? `✓ The published order of ${entrants} ${entrants === 1 ? 'entrant' : 'entrants'} is the one the seed gives.`
          : '✗ The published order is NOT the one the seed gives.'}
      </li>
    </ul>
  );
}

function TicketPlace({ draw, check, ticket, onTicket }: {
  draw: Draw; check: Checking; ticket: string; onTicket: (ticket: string) => void;
}) {
  const [value, setValue] = useState<number | null>(null);
  const id = ticket.trim().toLowerCase();
  const order = check && check !== 'checking' && 'order' in check ? check.order : null;
  const place = order && id ? placeOf(order, id) : null;

  useEffect(() => {
    if (!draw.seed || !id) {
      setValue(null);
      return;
    }
    let current = true;
    drawValue(draw.seed, id).then((v) => current && setValue(v), () => current && setValue(null));
    return () => {
      current = false;
    };
  }, [draw.seed, id]);

  return (
    <section className="card space-y-3" aria-labelledby="ticket-title">
      <h2 id="ticket-title" className="text-xl font-bold">Your place</h2>
      <div>
        <label htmlFor="ticket" className="field-label">Your ticket id (the waiting room shows it)</label>
        <input id="ticket" className="field-input w-full font-mono sm:w-72" value={ticket} spellCheck={false} autoComplete="off"
          onChange={(e) => onTicket(e.target.value)} placeholder="e.g. 3f9c0a1b2c3d4e5f" />
      </div>
      <div aria-live="polite" data-testid="place">
        {!id ? null : !draw.seed ? (
          <p className="text-ink-soft">Your place can be worked out once the seed is published at the opening.</p>
        ) : !order ? (
          <p className="text-muted">Working it out…</p>
        ) : place === null ? (
          <p className="notice-warn">This ticket id is not among the entrants of this draw. Check that you pasted all 16 characters.</p>
        ) : (
          <p className="notice-ok">
            Your place in the draw: <strong className="tabular">{place}</strong> of {order.length}
            {value !== null && <> (your value {value.toFixed(12)})</>}.
          </p>
        )}
      </div>
    </section>
  );
}
