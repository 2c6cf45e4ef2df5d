import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMyOrdersQuery, useOrderQuery } from '../api/api';
import type { Order, PaymentReceipt } from '../api/types';
import { PayForm } from './PayForm';
import { asProblem } from '../api/problem';
import { ProblemScreen } from '../components/ProblemScreen';
import { ProductImage } from '../components/ProductImage';
import { Badge, RingCountdown } from '../components/ui';
import { formatDateTime, formatMoney, orderCode } from '../lib/format';
import { useSession } from '../store';
import { useOrderUpdates } from '../orders/useOrderUpdates';
import type { OrderUpdatesState } from '../orders/OrderUpdates';
import { remembered } from '../orders/receipts';

const STATUS_WORDS: Record<string, { title: string; body: string; tone: 'ok' | 'warn' | 'neutral' }> = {
  PENDING_PAYMENT: { title: 'Pending payment', body: 'Your units are held for you. Pay before the timer runs out, or they go back to the sale.', tone: 'warn' },
  PAID: { title: 'Confirmed', body: 'Paid and confirmed.', tone: 'ok' },
  CONFIRMED: { title: 'Confirmed', body: 'Paid and confirmed.', tone: 'ok' },
  EXPIRED: { title: 'Expired', body: 'The time to pay ran out and the units went back to the sale. Nothing was charged.', tone: 'neutral' },
};

export function StatusPill({ status }: { status: string }) {
  const words = STATUS_WORDS[status] ?? { title: status, tone: 'neutral' as const };
  return <Badge tone={words.tone} testId="order-status">{words.title}</Badge>;
}

/**
 * "Order 2E3F-4A5B": the code a person reads out (the API's shortCode; worked out from the id only
 * while the order-worker has not written the order and the purchase answer of an older page stands in),
 * with the full id beside it for support.
 */
export function OrderCode({ id, code }: { id: string; code?: string }) {
  return (
    <p className="text-sm text-muted">
      Order <span className="font-mono text-base font-bold tracking-wider text-ink" data-testid="order-code">{code ?? orderCode(id)}</span>
      <span className="ml-2 break-all font-mono text-xs" title="Full order id">{id}</span>
    </p>
  );
}

type Known = Partial<Order> & { holdSeconds?: number; status: string; payBy: string; quantity: number };

export function OrderPage() {
  const id = useParams().id!;
  const receipt = remembered(id);
  const session = useSession();
  // The payment's answer is authoritative at once; the order row follows moments later.
  const [paid, setPaid] = useState<PaymentReceipt | null>(null);
  // While the order can still change (pending, or not yet written) the gateway pushes its changes
  // (/ws/me/orders): the page reads the order when the socket starts listening and on each change of
  // it, and polls only while the socket is down (every 15 s) or the order-worker has not written the
  // row yet (every second: moments after the purchase, and nothing is pushed when the row is written).
  // A paid or expired order is final: no socket and no reads.
  const [pollEvery, setPollEvery] = useState(0);
  const { data, error, refetch } = useOrderQuery(id, { pollingInterval: pollEvery, skipPollingIfUnfocused: true });
  const [pushed, setPushed] = useState<string | null>(null);
  const canChange = (!data || data.status === 'PENDING_PAYMENT') && pushed !== 'PAID' && pushed !== 'EXPIRED';
  const updates = useOrderUpdates(session?.token, canChange, () => void refetch(), (update) => {
    if (update.orderId !== id) return;
    setPushed(update.status);
    void refetch();
  });
  const notWrittenYet = !!error && asProblem(error).status === 404 && !!receipt;
  const wantedPoll = !canChange ? 0 : notWrittenYet ? 1000 : updates === 'open' ? 0 : 15_000;
  useEffect(() => {
    if (wantedPoll !== pollEvery) setPollEvery(wantedPoll);
  }, [wantedPoll, pollEvery]);
  // Until the order-worker has written the row (moments after the purchase), the receipt stands in.
  const pendingWrite = notWrittenYet;
  if (error && !pendingWrite) {
    const notFound = asProblem(error).status === 404;
    return <ProblemScreen problem={notFound ? { type: 'not-found', title: 'Order not found', status: 404, detail: 'There is no order of yours at this address. Your orders are all in My orders.' } : error} onRetry={notFound ? undefined : refetch} />;
  }
  const known: Known | null = data ? { ...receipt, ...data } : receipt && { ...receipt, status: receipt.status, payBy: receipt.payBy, quantity: receipt.quantity, saleId: receipt.saleId };
  if (!known) return <p className="text-muted">Loading your order…</p>;
  // The payment's answer or the pushed status stand in until the read catches up.
  const newer = paid?.status ?? (pushed !== 'PENDING_PAYMENT' ? pushed : null);
  const order = newer && known.status === 'PENDING_PAYMENT' ? { ...known, status: newer } : known;
  const words = STATUS_WORDS[order.status];
  const confirmed = order.status === 'PAID' || order.status === 'CONFIRMED';
  const name = order.productName ?? order.saleTitle ?? `Sale ${order.saleId}`;
  const holdTotal = receipt?.holdSeconds ?? (order.createdAt ? Math.max(1, (Date.parse(order.payBy) - Date.parse(order.createdAt)) / 1000) : 300);
  return (
    <section className="card mx-auto max-w-xl space-y-4" aria-labelledby="order-title" data-state={order.status}>
      {confirmed && (
        <div className="rounded-xl bg-ok-soft p-4 text-center text-ok" data-testid="celebration">
          <svg className="mx-auto h-14 w-14 motion-safe:animate-[bounce_1s_ease-out_1]" viewBox="0 0 48 48" aria-hidden="true">
            <circle cx="24" cy="24" r="22" fill="currentColor" opacity="0.15" />
            <path d="M14 25l7 7 13-15" fill="none" stroke="currentColor" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <p className="mt-2 text-2xl font-black">You got it!</p>
          <p className="text-ink-soft">{session ? <>A confirmation email is on its way to <strong className="break-all">{session.account.email}</strong>.</> : 'A confirmation email is on its way.'}</p>
        </div>
      )}
      <div className="flex items-start gap-3">
        <ProductImage src={order.productImageUrl} alt="" name={name} size="thumb" />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 id="order-title" className="mr-auto text-2xl font-bold [overflow-wrap:anywhere]">{name}</h1>
            <StatusPill status={order.status} />
          </div>
          {order.saleTitle && order.productName && <p className="text-muted [overflow-wrap:anywhere]">{order.saleTitle}</p>}
        </div>
      </div>
      <OrderCode id={id} code={order.shortCode} />
      {words && !confirmed && <p className="text-ink-soft" aria-live="polite">{words.body}</p>}
      {confirmed && <p className="sr-only" aria-live="polite">{words?.body}</p>}
      <dl className="grid grid-cols-2 gap-2">
        <dt className="text-muted">Quantity</dt><dd className="tabular">{order.quantity}</dd>
        {order.seats && order.seats.length > 0 && <><dt className="text-muted">Seats</dt><dd className="[overflow-wrap:anywhere]">{order.seats.join(', ')}</dd></>}
        {order.totalMinor !== undefined && <><dt className="text-muted">Total</dt><dd className="tabular font-semibold">{formatMoney(order.totalMinor, order.currency!)}</dd></>}
        {order.createdAt && <><dt className="text-muted">Ordered</dt><dd>{formatDateTime(order.createdAt)}</dd></>}
      </dl>
      {order.status === 'PENDING_PAYMENT' && Date.parse(order.payBy) > Date.now() && (
        <div className="rounded-xl bg-surface-2 p-3">
          <RingCountdown to={order.payBy} total={holdTotal} label="Pay within" />
          <p className="mt-1 text-sm text-muted">Held for you until {formatDateTime(order.payBy)}.</p>
        </div>
      )}
      {pendingWrite && <p className="text-sm text-muted" role="status">Recording your order…</p>}
      {canChange && <LiveUpdates state={updates} />}
      {order.status === 'PENDING_PAYMENT' && Date.parse(order.payBy) > Date.now() && (
        <PayForm orderId={id} amountMinor={order.totalMinor} currency={order.currency} onPaid={setPaid} />
      )}
      <p className="flex flex-wrap gap-3"><Link className="btn-secondary" to="/orders">My orders</Link>{order.saleId && <Link className="btn-secondary" to={`/sales/${order.saleId}`}>Back to the sale</Link>}</p>
    </section>
  );
}

/** Whether this page hears of the order's changes as they happen, and what it does while it cannot. */
function LiveUpdates({ state }: { state: OrderUpdatesState }) {
  const words = state === 'open' ? 'This page updates by itself when your order changes.'
    : state === 'reconnecting' ? 'Reconnecting to live updates… meanwhile this page checks your order every 15 seconds.'
      : state === 'closed' ? 'Live updates are off on this page: it checks your order every 15 seconds.'
        : 'Connecting to live updates…';
  return <p className="text-sm text-muted" role="status" data-testid="order-updates" data-state={state}>{words}</p>;
}

export function MyOrders() {
  const { data, error, refetch, isLoading } = useOrderQueryList();
  if (error) return <ProblemScreen problem={error} onRetry={refetch} />;
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title" className="text-3xl font-black tracking-tight">My orders</h1>
      {isLoading ? <p className="mt-2 text-muted">Loading…</p> : !data?.length ? <p className="mt-2 text-muted">No orders yet. When you buy in a drop, it shows up here.</p> : (
        <ul className="mt-3 space-y-2">
          {data.map((o) => (
            <li key={o.id} className="card flex flex-wrap items-center gap-3" data-testid={`order-${o.id}`}>
              <ProductImage src={o.productImageUrl} alt="" name={o.productName ?? ''} size="thumb" />
              <div className="min-w-0 flex-1">
                <Link to={`/orders/${o.id}`} className="link [overflow-wrap:anywhere]">{o.quantity} × {o.productName ?? `sale ${o.saleId}`}</Link>
                <div className="text-sm text-muted"><span className="font-mono font-semibold text-ink-soft">{o.shortCode}</span> · {formatDateTime(o.createdAt)}</div>
              </div>
              <StatusPill status={o.status} />
              <span className="tabular font-semibold">{formatMoney(o.totalMinor, o.currency)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const useOrderQueryList = () => useMyOrdersQuery(undefined, { refetchOnMountOrArgChange: true });
