import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { usePurchaseMutation, useSaleQuery } from '../api/api';
import type { Problem } from '../api/problem';
import type { Sale, SaleStatus } from '../api/types';
import { Countdown } from '../components/Countdown';
import { ProblemScreen } from '../components/ProblemScreen';
import { ProgressBar } from '../components/ProgressBar';
import { formatMoney, formatWaitRange } from '../lib/format';
import { useNow } from '../lib/useNow';
import type { SaleState } from '../queue/messages';
import { progress, type QueueState } from '../queue/queueState';
import { useQueue } from '../queue/useQueue';
import { useSession } from '../store';
import { StatusBadge } from './Home';
import { rememberReceipt } from './OrderPage';

const fromSocket: Record<SaleState, SaleStatus> = {
  upcoming: 'UPCOMING', live: 'LIVE', sold_out: 'SOLD_OUT', ended: 'ENDED', cancelled: 'CANCELLED',
};

const problemOf = (slug: string, extra: Partial<Problem> = {}): Problem => ({
  type: `https://miaosha.dev/problems/${slug}`, title: slug, status: 0, ...extra,
});

export function SalePage() {
  const saleId = Number(useParams().id);
  const { data: sale, error, refetch } = useSaleQuery(saleId);
  const session = useSession();
  const queue = useQueue(saleId, session?.token);
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

  if (error) return <ProblemScreen problem={error} onRetry={refetch} />;
  if (!sale) return <p className="text-slate-600">Loading…</p>;

  const live = queue.state.sale;
  const status = live ? fromSocket[live.state] : sale.status;
  const unitsLeft = live ? live.unitsLeft : sale.unitsLeft;
  const { admission, closed } = queue.state;
  const windowOpen = admission && Date.parse(admission.windowEndsAt) > now;

  let body;
  if (closed === 'window_expired' || (admission && !windowOpen)) {
    body = <ProblemScreen problem={problemOf('window-expired')} onRetry={queue.join} retryLabel="Join the queue again" />;
  } else if (windowOpen && status !== 'SOLD_OUT') {
    body = <Admitted sale={sale} unitsLeft={unitsLeft} admission={admission!} onDone={queue.leave} />;
  } else if (status === 'SOLD_OUT' || closed === 'sold_out') {
    body = <ProblemScreen problem={problemOf('sold-out')} />;
  } else if (status === 'ENDED' || status === 'CANCELLED' || closed === 'ended' || closed === 'cancelled') {
    body = <ProblemScreen problem={problemOf('sale-closed', { detail: status === 'CANCELLED' || closed === 'cancelled' ? 'This sale was cancelled.' : 'This sale has ended.' })} />;
  } else if (queue.joined) {
    body = <WaitingRoom state={queue.state} onLeave={queue.leave} />;
  } else if (sale.queueEnabled === false && status === 'LIVE' && session) {
    // A sale without a waiting room: everyone may buy straight away.
    body = <Admitted sale={sale} unitsLeft={unitsLeft} onDone={() => {}} />;
  } else {
    body = <JoinPanel sale={sale} status={status} loggedIn={!!session} onJoin={queue.join} />;
  }

  return (
    <article className="space-y-6" aria-labelledby="sale-title">
      <header className="flex gap-4">
        <img src={sale.product.imageUrl || '/img/runner.svg'} alt={sale.product.name} width={96} height={96} className="h-24 w-24 flex-none rounded" />
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 id="sale-title" className="text-2xl font-bold">{sale.title}</h1>
            <StatusBadge status={status} />
          </div>
          <p className="text-slate-700">{sale.product.name} · <span className="font-semibold">{formatMoney(sale.price.amountMinor, sale.price.currency)}</span></p>
          <p className="text-slate-700">
            <span className="tabular inline-block min-w-[3ch] text-right text-lg font-bold" data-testid="units-left" aria-live="polite">{unitsLeft}</span> of {sale.stock} left
            {live && <span className="ml-2 text-xs text-green-800">● live</span>}
          </p>
          <p className="text-sm text-slate-600">{sale.product.description}</p>
        </div>
      </header>
      {body}
    </article>
  );
}

function JoinPanel({ sale, status, loggedIn, onJoin }: { sale: Sale; status: SaleStatus; loggedIn: boolean; onJoin: () => void }) {
  const location = useLocation();
  if (status === 'UPCOMING') {
    return (
      <section className="card" data-problem="sale-not-open">
        <h2 className="text-xl font-semibold">Not open yet</h2>
        <p className="mt-1 text-slate-700">The sale opens in <Countdown to={sale.opensAt} label="Opens in" className="font-bold" />. The queue opens then; come back or keep this page open.</p>
      </section>
    );
  }
  return (
    <section className="card space-y-3">
      <h2 className="text-xl font-semibold">Join the queue</h2>
      <p className="text-slate-700">
        Everyone gets a fair place in line. When it is your turn you get {Math.round(sale.windowSeconds / 60)} minutes to buy up to {sale.perUserLimit} unit(s).
      </p>
      {loggedIn ? (
        <button type="button" className="btn-primary" onClick={onJoin}>Join the queue</button>
      ) : (
        <p><Link className="btn-primary" to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in to join the queue</Link></p>
      )}
    </section>
  );
}

export function WaitingRoom({ state, onLeave }: { state: QueueState; onLeave: () => void }) {
  const reconnecting = state.connection === 'reconnecting' || state.connection === 'connecting';
  const position = state.ahead === null ? null : state.ahead + 1;
  return (
    <section className="card space-y-4" aria-labelledby="waiting-title" data-testid="waiting-room">
      <h2 id="waiting-title" className="text-xl font-semibold">You are in the queue</h2>
      <div className="min-h-10" aria-live="polite">
        {state.error ? (
          <p role="alert" className="rounded bg-amber-50 p-2 text-amber-900" data-testid="queue-error">
            {state.error.message} {reconnecting && 'We keep trying.'}
          </p>
        ) : reconnecting ? (
          <p role="status" className="rounded bg-amber-50 p-2 text-amber-900" data-testid="reconnecting">
            {state.connection === 'connecting' && state.ahead === null ? 'Connecting to the waiting room…' : 'Connection lost: reconnecting… Your place is kept.'}
          </p>
        ) : null}
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        <div>
          <dt className="text-sm text-slate-600">Your position</dt>
          <dd className="tabular text-3xl font-bold" data-testid="position">{position ?? '–'}</dd>
        </div>
        <div>
          <dt className="text-sm text-slate-600">People ahead of you</dt>
          <dd className="tabular text-3xl font-bold" data-testid="ahead">{state.ahead ?? '–'}</dd>
        </div>
        <div className="col-span-2 sm:col-span-1">
          <dt className="text-sm text-slate-600">Estimated wait</dt>
          <dd className="text-lg font-semibold" data-testid="wait">{state.ahead === 0 ? 'You are next' : state.waitSeconds ? formatWaitRange(state.waitSeconds.min, state.waitSeconds.max) : '–'}</dd>
        </div>
      </dl>
      <ProgressBar value={progress(state)} label="Progress through the queue" />
      <div className="space-y-1 text-slate-700">
        <p>When it is your turn, this page changes by itself and you get a few minutes to buy. You do not need to do anything until then.</p>
        <p className="font-medium">Refreshing this page keeps your place. Closing it for more than a minute gives your place away.</p>
      </div>
      <button type="button" className="btn-secondary" onClick={onLeave}>Leave the queue</button>
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
      rememberReceipt(receipt);
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

  return (
    <section className="card space-y-4 border-green-600" aria-labelledby="admitted-title" data-testid="admitted">
      {admission ? (
        <>
          <h2 id="admitted-title" ref={heading} tabIndex={-1} className="text-xl font-semibold text-green-900 focus:outline-none">It is your turn</h2>
          <p className="text-slate-700">
            Your shopping window closes in <Countdown to={admission.windowEndsAt} label="Window closes in" className="text-lg font-bold" />.
            After that your place goes to the next shopper.
          </p>
        </>
      ) : (
        <h2 id="admitted-title" ref={heading} tabIndex={-1} className="text-xl font-semibold focus:outline-none">Buy now</h2>
      )}
      <form onSubmit={buy} className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="quantity" className="field-label">Quantity (at most {sale.perUserLimit})</label>
          <select id="quantity" className="field-input w-28" value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
            {options.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
        <button type="submit" className="btn-primary" disabled={isLoading}>
          {isLoading ? 'Buying…' : `Buy for ${formatMoney(sale.price.amountMinor * quantity, sale.price.currency)}`}
        </button>
      </form>
      {inline && <p role="alert" className="field-error">Only {problem.unitsLeft} unit(s) left: choose fewer.</p>}
    </section>
  );
}
