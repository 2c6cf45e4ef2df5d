import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useLazySeatMapQuery, usePurchaseMutation, useSaleQuery, useSeatLayoutQuery } from '../api/api';
import type { Problem } from '../api/problem';
import type { Sale, SaleStatus } from '../api/types';
import { ProblemScreen } from '../components/ProblemScreen';
import { ProductImage } from '../components/ProductImage';
import { ProgressBar } from '../components/ProgressBar';
import { BigCountdown, RingCountdown, StatusBadge, StockBar } from '../components/ui';
import { VerifiedOnlyNotice } from '../account/VerifiedOnlyNotice';
import { DrawEntryPanel } from '../draw/DrawEntryPanel';
import { DrawTicket } from '../draw/DrawTicket';
import { LiveStatus } from '../live/LiveStatus';
import { useLiveSale } from '../live/useLiveSale';
import { formatDateTime, formatDuration, formatMoney, formatWaitRange, parseId, plural } from '../lib/format';
import { announceTurn, askToNotify, notificationsSupported, primeSound } from '../lib/turnAlert';
import { useNow } from '../lib/useNow';
import type { Chance, SaleState } from '../queue/messages';
import { progress, type QueueState } from '../queue/queueState';
import { useQueue } from '../queue/useQueue';
import { SeatMap } from '../seats/SeatMap';
import { SeatPicker } from '../seats/SeatPicker';
import { purchaseMode } from '../seats/purchaseMode';
import { seatModel, seatName } from '../seats/seatLayout';
import { useSeatState } from '../seats/useSeatState';
import { useSession } from '../store';
import { rememberReceipt } from '../orders/receipts';

const fromSocket: Record<SaleState, SaleStatus> = {
  // Paused is still live: units may come back from carts, and the waiting room says so itself.
  upcoming: 'UPCOMING', live: 'LIVE', paused: 'LIVE', sold_out: 'SOLD_OUT', ended: 'ENDED', cancelled: 'CANCELLED',
};

const problemOf = (slug: string, extra: Partial<Problem> = {}): Problem => ({
  type: `https://miaosha.dev/problems/${slug}`, title: slug, status: 0, ...extra,
});

const NO_SALE: Problem = { type: 'not-found', title: 'Sale not found', status: 404, detail: 'There is no sale at this address. It may have been mistyped, or the link is old.' };

/** The route: an id that is not a number never reaches the API ("/sales/abc" is simply not found). */
export function SalePage() {
  const saleId = parseId(useParams().id);
  if (saleId === null) return <ProblemScreen problem={NO_SALE} />;
  return <SaleScreen key={saleId} saleId={saleId} />;
}

function SaleScreen({ saleId }: { saleId: number }) {
  const { data: sale, error, refetch } = useSaleQuery(saleId);
  const session = useSession();
  const queue = useQueue(saleId, session?.token);
  // Only a seated sale has a layout: a unit sale's page never asks (it would answer 409 not-seated).
  const layout = useSeatLayoutQuery(saleId, { skip: !sale?.seated });
  const model = useMemo(() => (layout.data ? seatModel(layout.data) : null), [layout.data]);
  const [seatNotice, setSeatNotice] = useState<string>();
  const seats = useSeatState(model?.count ?? null, sale?.perUserLimit ?? 1, (lost) => {
    if (model) setSeatNotice(`${lost.map((p) => seatName(model, p)).join(', ')} ${lost.length === 1 ? 'was' : 'were'} just taken by someone else and left your selection.`);
  });
  const viewer = useLiveSale(saleId, true, seats.onFrame);
  const [readMap] = useLazySeatMapQuery();
  const refreshMap = useCallback(() => {
    readMap(saleId).unwrap().then((m) => seats.onSnapshot(m.states, m.lastChangeId)).catch(() => {});
  }, [readMap, saleId, seats.onSnapshot]);
  // The live feed sends the map too; this read covers a feed that is down (or not armed yet).
  useEffect(() => {
    if (model) refreshMap();
  }, [model, refreshMap]);
  const now = useNow();

  // Refetch once the sale opens, so the page turns live without a reload.
  useEffect(() => {
    if (sale?.status !== 'UPCOMING') return;
    const ms = Date.parse(sale.opensAt) - Date.now();
    // setTimeout overflows past 24.8 days and would fire at once: check again in an hour instead.
    if (ms > 3_600_000) {
      const later = setTimeout(refetch, 3_600_000);
      return () => clearTimeout(later);
    }
    const timer = setTimeout(refetch, Math.max(0, ms) + 300);
    return () => clearTimeout(timer);
  }, [sale?.status, sale?.opensAt, refetch]);

  // The turn comes while the shopper may be in another tab: tell them (chime, and a notification if allowed).
  // Once per admission (its window; a reconnect inside it re-sends the admission): the sale's data is
  // read again while the shopper is inside, which must not chime again.
  const admissionToken = queue.state.admission?.windowEndsAt;
  const announced = useRef<string | null>(null);
  const productName = sale?.product.name;
  useEffect(() => {
    if (!admissionToken || !productName || announced.current === admissionToken) return;
    announced.current = admissionToken;
    announceTurn('It is your turn', `You can buy ${productName} now.`);
  }, [admissionToken, productName]);

  if (error) {
    const notFound = 'status' in error && error.status === 404;
    return <ProblemScreen problem={notFound ? NO_SALE : error} onRetry={notFound ? undefined : refetch} />;
  }
  if (!sale) return <SaleSkeleton />;

  // The live feed (every viewer) while it is up, else what the waiting room's socket last said.
  const live = (viewer.connection === 'open' && viewer.sale) || queue.state.sale || viewer.sale;
  // Paused (every unit left in a cart) is sold out to a viewer outside the queue, as the catalog says:
  // the sold-out screen tells that units may come back.
  const status = live ? (live.state === 'paused' && !queue.joined ? 'SOLD_OUT' : fromSocket[live.state]) : sale.status;
  const unitsLeft = live ? live.unitsLeft : sale.unitsLeft;
  const { admission, closed } = queue.state;
  const windowOpen = admission && Date.parse(admission.windowEndsAt) > now;
  const join = () => {
    primeSound();
    queue.join();
  };
  const seatState = seats.state;
  const mode = purchaseMode(sale.seated, !!model && !!seatState, layout.isError);
  const seated = mode === 'seats';
  // Until the layout has answered, a seated sale must not offer the unit purchase (it would be refused).
  const picker = (admission?: { token: string; windowEndsAt: string }) => {
    if (mode === 'loading') return <p className="text-muted" aria-busy="true">Loading…</p>;
    if (mode === 'unavailable') {
      return (
        <p role="alert" className="notice-danger text-sm">The seats could not be loaded.{' '}
          <button type="button" className="btn-secondary" onClick={() => layout.refetch()}>Try again</button></p>
      );
    }
    return seated && (
      <SeatPicker sale={sale} model={model!} state={seatState!} admission={admission} notice={seatNotice}
        onUnselect={seats.unselect} onClear={seats.clear} onRefresh={refreshMap} onDone={admission ? queue.leave : () => {}} />
    );
  };

  let body;
  let state: string;
  if (queue.state.error?.reason === 'email-not-verified') {
    // The gateway gave no ticket: this session does not say its email is confirmed.
    state = 'email-not-verified';
    body = <VerifiedOnlyNotice sale={sale} refused />;
  } else if (queue.state.error?.reason === 'limit-reached') {
    // Nothing to queue for: the gateway gave no ticket (or took it off at the front) and said why.
    state = 'limit-reached';
    body = <ProblemScreen problem={problemOf('limit-reached', { detail: queue.state.error.message, limit: sale.perUserLimit })} />;
  } else if (closed === 'window_expired' || (admission && !windowOpen)) {
    state = 'window-expired';
    body = <ProblemScreen problem={problemOf('window-expired')} onRetry={join} retryLabel="Join the queue again" />;
  } else if (windowOpen && status !== 'SOLD_OUT') {
    state = 'admitted';
    body = (
      <>
        {picker(admission!) || <Admitted sale={sale} unitsLeft={unitsLeft} admission={admission!} onDone={queue.leave} />}
        {queue.state.draw && <DrawTicket saleId={saleId} draw={queue.state.draw} now={now} />}
      </>
    );
  } else if (status === 'SOLD_OUT' || closed === 'sold_out') {
    state = 'sold-out';
    body = <ProblemScreen problem={problemOf('sold-out')} />;
  } else if (status === 'ENDED' || status === 'CANCELLED' || closed === 'ended' || closed === 'cancelled') {
    state = 'ended';
    body = <ProblemScreen problem={problemOf('sale-closed', { detail: status === 'CANCELLED' || closed === 'cancelled' ? 'This sale was cancelled.' : 'This sale has ended.' })} />;
  } else if (queue.joined) {
    state = 'waiting';
    body = <WaitingRoom state={queue.state} onLeave={queue.leave} windowSeconds={sale.windowSeconds} now={now} saleId={saleId} />;
  } else if (sale.queueEnabled === false && status === 'LIVE' && session) {
    // A sale without a waiting room: everyone may buy straight away.
    state = 'live';
    body = picker() || <Admitted sale={sale} unitsLeft={unitsLeft} onDone={() => {}} />;
  } else {
    state = status === 'UPCOMING' ? 'upcoming' : 'live';
    body = status === 'UPCOMING' && sale.queueEnabled !== false
      ? <DrawEntryPanel sale={sale} loggedIn={!!session} onEnter={join} now={now} />
      : <JoinPanel sale={sale} status={status} loggedIn={!!session} onJoin={join} />;
  }

  return (
    <article className="grid gap-6 md:grid-cols-[minmax(0,5fr)_minmax(0,6fr)] md:items-start" aria-labelledby="sale-title" data-state={state}>
      {seated ? (
        // A seated sale shows its venue where a unit sale shows its product: every viewer sees it change live.
        <section className="min-w-0 md:sticky md:top-4" aria-labelledby="seat-map-title">
          <h2 id="seat-map-title" className="mb-2 text-xl font-bold">Seats</h2>
          <SeatMap model={model!} state={seatState!} onToggle={seats.toggle}
            canSelect={state === 'admitted' || state === 'live' && sale.queueEnabled === false && !!session} />
        </section>
      ) : (
        <div className="md:sticky md:top-4">
          <ProductImage src={sale.product.imageUrl} alt={sale.product.name} name={sale.product.name} size="hero" priority />
        </div>
      )}
      <div className="min-w-0 space-y-5">
        <header className="space-y-2">
          <StatusBadge status={status} />
          <h1 id="sale-title" className="text-3xl font-black tracking-tight [overflow-wrap:anywhere] sm:text-4xl">{sale.title}</h1>
          <p className="text-lg text-ink-soft [overflow-wrap:anywhere]">{sale.product.name}</p>
          <p className="text-3xl font-bold tabular">{seated && <span className="text-xl font-semibold text-muted">From </span>}{formatMoney(sale.price.amountMinor, sale.price.currency)}</p>
          {sale.product.description && <p className="text-ink-soft [overflow-wrap:anywhere]">{sale.product.description}</p>}
        </header>
        {status !== 'UPCOMING' && (
          <StockBar left={unitsLeft} total={sale.stock} live={!!live}
            note={<LiveStatus connection={viewer.connection} updatedAt={viewer.updatedAt} now={now} />} />
        )}
        {state !== 'email-not-verified' && <VerifiedOnlyNotice sale={sale} />}
        {body}
        <Rules sale={sale} />
      </div>
    </article>
  );
}

function SaleSkeleton() {
  return (
    <div className="grid gap-6 md:grid-cols-[5fr_6fr]" aria-busy="true">
      <div className="aspect-square w-full animate-pulse rounded-2xl bg-surface-2 sm:aspect-[4/3]" />
      <div className="space-y-3"><p className="text-muted">Loading the sale…</p><div className="h-10 w-2/3 animate-pulse rounded bg-surface-2" /></div>
    </div>
  );
}

/** How this drop works, in plain words: the limit, the draw and the queue, the time to buy and to pay. */
function Rules({ sale }: { sale: Sale }) {
  const perCustomer = sale.perUserLimit === 1 ? 'One per customer.' : `Up to ${sale.perUserLimit} per customer.`;
  return (
    <section aria-labelledby="rules-title" className="rounded-xl border border-line p-4">
      <h2 id="rules-title" className="font-bold">How this drop works</h2>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-ink-soft">
        <li>{perCustomer}</li>
        {sale.verifiedEmailOnly && <li>Only accounts with a confirmed email can join and buy.</li>}
        {sale.queueEnabled !== false && (
          <>
            <li>Everyone who joins before the opening gets a place drawn at random, so there is no need to rush; after the opening, new shoppers join at the back. Anyone can <Link className="link" to={`/sales/${sale.id}/draw`}>check the draw</Link>.</li>
            <li>{sale.queueCapacity === 1 ? 'One shopper' : `${sale.queueCapacity} shoppers`} can buy at a time; the page lets you in by itself when it is your turn.</li>
          </>
        )}
        <li>Once you are in, you have {formatDuration(sale.windowSeconds)} to buy, then {formatDuration(sale.holdSeconds)} to pay. Units nobody pays for go back on sale.</li>
      </ul>
    </section>
  );
}

function JoinPanel({ sale, status, loggedIn, onJoin }: { sale: Sale; status: SaleStatus; loggedIn: boolean; onJoin: () => void }) {
  const location = useLocation();
  if (status === 'UPCOMING') {
    return (
      <section className="card space-y-3" data-problem="sale-not-open" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title" className="text-xl font-bold">Not open yet</h2>
        <BigCountdown to={sale.opensAt} label="Opens in" />
        <p className="text-ink-soft">The queue opens at the same moment. Keep this page open: it turns live by itself.</p>
        {!loggedIn && <p><Link className="link" to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in now</Link> so you are ready when it opens.</p>}
      </section>
    );
  }
  return (
    <section className="card space-y-3" aria-labelledby="join-title">
      <h2 id="join-title" className="text-xl font-bold">Join the queue</h2>
      <p className="text-ink-soft">
        Everyone gets a fair place in line. When it is your turn you have {formatDuration(sale.windowSeconds)} to buy
        {sale.perUserLimit === 1 ? ' one' : ` up to ${plural(sale.perUserLimit, 'unit')}`}.
      </p>
      {loggedIn ? (
        <button type="button" className="btn-primary w-full text-lg sm:w-auto" onClick={onJoin}>Join the queue</button>
      ) : (
        <p><Link className="btn-primary" to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in to join the queue</Link></p>
      )}
    </section>
  );
}

function NotifyButton() {
  const [permission, setPermission] = useState(() => (notificationsSupported() ? Notification.permission : 'unsupported'));
  if (permission === 'unsupported' || permission === 'denied') return null;
  if (permission === 'granted') return <p className="text-sm text-ok">We will notify you and play a sound when it is your turn.</p>;
  return (
    <button type="button" className="btn-secondary" onClick={() => void askToNotify().then(setPermission)}>
      Notify me when it is my turn
    </button>
  );
}

const CHANCE_WORDS: Record<Chance, string> = {
  likely: 'Your chance: likely. Even if everyone ahead of you buys the most allowed, units remain for your place.',
  possible: 'Your chance: possible. It depends on how many units the shoppers ahead of you buy.',
  unlikely: 'Your chance: unlikely. More shoppers are ahead of you than units that may still come free.',
  none: 'No units are left for your place, and none can come back.',
};

export function WaitingRoom({ state, onLeave, windowSeconds, now, saleId }: {
  state: QueueState; onLeave: () => void; windowSeconds?: number; now?: number; saleId?: number;
}) {
  const reconnecting = state.connection === 'reconnecting' || state.connection === 'connecting';
  const position = state.ahead === null ? null : state.ahead + 1;
  const ago = now !== undefined && state.updatedAt ? Math.max(0, Math.round((now - state.updatedAt) / 1000)) : null;
  const paused = state.sale?.state === 'paused';
  return (
    <section className="card space-y-4" aria-labelledby="waiting-title" data-testid="waiting-room" data-connection={state.connection}>
      <div className="flex flex-wrap items-baseline gap-2">
        <h2 id="waiting-title" className="mr-auto text-xl font-bold">You are in the queue</h2>
        <span className="text-sm text-muted tabular" data-testid="updated">
          {reconnecting ? '' : ago === null ? '' : ago < 2 ? 'Updated just now' : `Updated ${ago} s ago`}
        </span>
      </div>
      <div className="min-h-12" aria-live="polite">
        {state.error ? (
          <p role="alert" className="notice-warn" data-testid="queue-error">
            {state.error.message} {reconnecting && 'We keep trying.'}
          </p>
        ) : reconnecting ? (
          <p role="status" className="notice-warn flex items-center gap-2" data-testid="reconnecting">
            <span className="h-3 w-3 flex-none animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden="true" />
            {state.connection === 'connecting' && state.ahead === null ? 'Connecting to the waiting room: your browser does a few seconds of proof-of-work first…' : 'Connection lost: reconnecting… Your place is kept.'}
          </p>
        ) : paused ? (
          <p role="status" className="notice-warn" data-testid="queue-paused">
            Paused: every unit left is in another shopper&apos;s cart, so nobody is let in for now.
            {state.sale?.unpaidHolds ? ` ${plural(state.sale.unpaidHolds, 'unpaid cart')} may still give units back` : ''}
            {state.sale?.nextHoldEndsAt ? `; the first runs out at ${formatDateTime(state.sale.nextHoldEndsAt)}` : ''}. Your place is kept.
          </p>
        ) : null}
      </div>
      {/* The altcha widget solves the join's proof-of-work here (joinProof.ts), on every (re)connect. */}
      <div id="join-proof" data-testid="join-proof" className={reconnecting ? 'min-h-12' : 'hidden'} />
      <dl className={`grid grid-cols-2 gap-3 sm:grid-cols-4 ${reconnecting ? 'opacity-60' : ''}`}>
        <div className="rounded-xl bg-surface-2 p-3">
          <dt className="text-sm text-muted">Your place</dt>
          <dd className="tabular text-4xl font-black" data-testid="position">{position ?? '–'}</dd>
        </div>
        <div className="rounded-xl bg-surface-2 p-3">
          <dt className="text-sm text-muted">People ahead of you</dt>
          <dd className="tabular text-4xl font-black" data-testid="ahead">{state.ahead ?? '–'}</dd>
        </div>
        <div className="rounded-xl bg-surface-2 p-3">
          <dt className="text-sm text-muted">Let in per minute</dt>
          <dd className="tabular text-2xl font-bold" data-testid="rate">{state.admittedPerMinute === null ? '–' : Math.round(state.admittedPerMinute)}</dd>
        </div>
        <div className="rounded-xl bg-surface-2 p-3">
          <dt className="text-sm text-muted">Estimated wait</dt>
          <dd className="text-lg font-semibold" data-testid="wait">{paused ? 'Paused' : state.ahead === 0 ? 'You are next' : state.waitSeconds ? formatWaitRange(state.waitSeconds.min, state.waitSeconds.max) : '–'}</dd>
        </div>
      </dl>
      {state.chance && !paused && <p className="text-ink-soft" data-testid="chance" data-chance={state.chance}>{CHANCE_WORDS[state.chance]}</p>}
      <ProgressBar value={progress(state, now)} label="Progress through the queue" />
      {state.draw && saleId !== undefined && <DrawTicket saleId={saleId} draw={state.draw} now={now ?? Date.now()} />}
      <div className="space-y-1 text-ink-soft">
        <p>When it is your turn, this page changes by itself and you get {windowSeconds ? formatDuration(windowSeconds) : 'a set time'} to buy. You do not need to do anything until then.</p>
        <p className="font-medium">Refreshing this page keeps your place. Closing it for more than a minute gives your place away.</p>
      </div>
      <div className="flex flex-wrap gap-2">
        <NotifyButton />
        <button type="button" className="btn-secondary" onClick={onLeave}>Leave the queue</button>
      </div>
    </section>
  );
}

function Admitted({ sale, unitsLeft, admission, onDone }: {
  sale: Sale; unitsLeft: number; admission?: { token: string; windowEndsAt: string }; onDone: () => void;
}) {
  const max = Math.max(1, Math.min(sale.perUserLimit, unitsLeft));
  const [quantity, setQuantity] = useState(1);
  const [purchase, { isLoading }] = usePurchaseMutation();
  const [problem, setProblem] = useState<Problem>();
  const navigate = useNavigate();
  // One key per buying intent: a retry after a lost answer cannot buy twice.
  const idempotencyKey = useRef(crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);
  // Being admitted changes the page under the shopper: move focus (and screen readers) to it.
  useEffect(() => {
    if (admission) heading.current?.focus();
  }, [admission]);

  async function buy(e?: FormEvent) {
    e?.preventDefault();
    setProblem(undefined);
    try {
      const receipt = await purchase({ saleId: sale.id, quantity, admissionToken: admission?.token, idempotencyKey: idempotencyKey.current }).unwrap();
      rememberReceipt(receipt, { productName: sale.product.name, productImageUrl: sale.product.imageUrl, saleTitle: sale.title, holdSeconds: sale.holdSeconds });
      onDone();
      navigate(`/orders/${receipt.orderId}`);
    } catch (err) {
      const p = err as Problem;
      if (p.type.endsWith('/not-enough-stock')) idempotencyKey.current = crypto.randomUUID();
      setProblem(p);
    }
  }

  const inline = problem && problem.type.endsWith('/not-enough-stock');
  const options = useMemo(() => Array.from({ length: max }, (_, i) => i + 1), [max]);
  if (problem && !inline) return <ProblemScreen problem={problem} onRetry={problem.status === 429 || problem.status === 0 ? () => buy() : undefined} />;

  const total = formatMoney(sale.price.amountMinor * quantity, sale.price.currency);
  return (
    <section className="card space-y-4 border-2 border-ok" aria-labelledby="admitted-title" data-testid="admitted">
      {admission ? (
        <>
          <h2 id="admitted-title" ref={heading} tabIndex={-1} className="text-2xl font-black text-ok focus:outline-none">It is your turn</h2>
          <p className="text-ink-soft">Buy before the ring runs out; after that your turn goes to the next shopper.</p>
        </>
      ) : (
        <h2 id="admitted-title" ref={heading} tabIndex={-1} className="text-xl font-bold focus:outline-none">Buy now</h2>
      )}
      {/* The checkout bar stays on screen while the shopper scrolls: product, time left, the one button. */}
      <form onSubmit={buy} className="sticky bottom-0 z-10 -mx-4 flex flex-wrap items-end gap-3 border-t border-line bg-surface px-4 py-3 shadow-[0_-4px_12px_rgb(0_0_0/0.08)] sm:static sm:mx-0 sm:border-0 sm:p-0 sm:shadow-none" data-testid="checkout-bar">
        <div className="flex min-w-0 flex-1 items-center gap-3">
          <ProductImage src={sale.product.imageUrl} alt="" name={sale.product.name} size="thumb" />
          <div className="min-w-0">
            <div className="truncate font-semibold">{sale.product.name}</div>
            <div className="tabular text-muted">{total}</div>
          </div>
        </div>
        {admission && <RingCountdown to={admission.windowEndsAt} total={sale.windowSeconds} label="Window closes in" size={56} />}
        <div>
          <label htmlFor="quantity" className="field-label">Quantity (at most {sale.perUserLimit})</label>
          <select id="quantity" className="field-input w-24" value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
            {options.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
        <button type="submit" className="btn-primary min-h-12 w-full text-lg sm:w-auto" disabled={isLoading}>
          {isLoading ? 'Buying…' : `Buy for ${total}`}
        </button>
      </form>
      {inline && <p role="alert" className="field-error">Only {plural(problem.unitsLeft ?? 0, 'unit')} left: choose fewer.</p>}
    </section>
  );
}
