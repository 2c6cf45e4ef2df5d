import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMyOrdersQuery, useOrderQuery } from '../api/api';
import type { Order, PaymentReceipt, PurchaseReceipt } from '../api/types';
import { PayForm } from './PayForm';
import { asProblem } from '../api/problem';
import { Countdown } from '../components/Countdown';
import { ProblemScreen } from '../components/ProblemScreen';
import { formatDateTime, formatMoney } from '../lib/format';

const receiptKey = (id: string) => `miaosha.receipt.${id}`;

/** The purchase answer, kept so the order page can show the order before the worker has written it. */
export function rememberReceipt(receipt: PurchaseReceipt) {
  sessionStorage.setItem(receiptKey(receipt.orderId), JSON.stringify(receipt));
}

function remembered(id: string): PurchaseReceipt | null {
  try {
    return JSON.parse(sessionStorage.getItem(receiptKey(id)) ?? 'null');
  } catch {
    return null;
  }
}

const STATUS_WORDS: Record<string, { title: string; body: string; tone: string }> = {
  PENDING_PAYMENT: { title: 'Pending payment', body: 'Your units are held for you. Pay before the time runs out, or they return to the sale.', tone: 'bg-amber-100 text-amber-900' },
  PAID: { title: 'Confirmed', body: 'Paid and confirmed. A confirmation email is on its way.', tone: 'bg-green-100 text-green-900' },
  CONFIRMED: { title: 'Confirmed', body: 'Paid and confirmed. A confirmation email is on its way.', tone: 'bg-green-100 text-green-900' },
  EXPIRED: { title: 'Expired', body: 'The time to pay ran out and the units went back to the sale.', tone: 'bg-slate-200 text-slate-800' },
};

export function StatusPill({ status }: { status: string }) {
  const words = STATUS_WORDS[status] ?? { title: status, tone: 'bg-slate-200 text-slate-800' };
  return <span data-testid="order-status" className={`rounded-full px-2 py-0.5 text-sm font-semibold ${words.tone}`}>{words.title}</span>;
}

export function OrderPage() {
  const id = useParams().id!;
  const receipt = remembered(id);
  // The payment's answer is authoritative at once; the order row follows moments later.
  const [paid, setPaid] = useState<PaymentReceipt | null>(null);
  const { data, error, refetch } = useOrderQuery(id, { pollingInterval: 2000, skipPollingIfUnfocused: true });
  // Until the order-worker has written the row (moments after the purchase), the receipt stands in.
  const pendingWrite = error && asProblem(error).status === 404 && receipt;
  if (error && !pendingWrite) return <ProblemScreen problem={error} onRetry={refetch} />;
  const known: Partial<Order> & { status: string; payBy: string; quantity: number } | null =
    data ?? (receipt && { status: receipt.status, payBy: receipt.payBy, quantity: receipt.quantity, saleId: receipt.saleId });
  if (!known) return <p className="text-slate-600">Loading your order…</p>;
  const order = paid && known.status === 'PENDING_PAYMENT' ? { ...known, status: paid.status } : known;
  const words = STATUS_WORDS[order.status];
  return (
    <section className="card mx-auto max-w-lg space-y-3" aria-labelledby="order-title">
      <div className="flex flex-wrap items-center gap-2">
        <h1 id="order-title" className="text-2xl font-bold">Your order</h1>
        <StatusPill status={order.status} />
      </div>
      <p className="text-sm text-slate-600 break-all">Order {id}</p>
      {words && <p className="text-slate-700" aria-live="polite">{words.body}</p>}
      <dl className="grid grid-cols-2 gap-2">
        <dt className="text-slate-600">Quantity</dt><dd className="tabular">{order.quantity}</dd>
        {order.totalMinor !== undefined && <><dt className="text-slate-600">Total</dt><dd className="tabular">{formatMoney(order.totalMinor, order.currency!)}</dd></>}
        {order.status === 'PENDING_PAYMENT' && (
          <><dt className="text-slate-600">Pay within</dt><dd><Countdown to={order.payBy} label="Pay within" className="font-bold" /> <span className="text-sm text-slate-600">(by {formatDateTime(order.payBy)})</span></dd></>
        )}
      </dl>
      {pendingWrite && <p className="text-sm text-slate-600" role="status">Recording your order…</p>}
      {order.status === 'PENDING_PAYMENT' && Date.parse(order.payBy) > Date.now() && (
        <PayForm orderId={id} amountMinor={order.totalMinor} currency={order.currency} onPaid={setPaid} />
      )}
      <p className="flex gap-3"><Link className="btn-secondary" to="/orders">My orders</Link>{order.saleId && <Link className="btn-secondary" to={`/sales/${order.saleId}`}>Back to the sale</Link>}</p>
    </section>
  );
}

export function MyOrders() {
  const { data, error, refetch, isLoading } = useOrderQueryList();
  if (error) return <ProblemScreen problem={error} onRetry={refetch} />;
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title" className="text-2xl font-bold">My orders</h1>
      {isLoading ? <p className="mt-2 text-slate-600">Loading…</p> : !data?.length ? <p className="mt-2 text-slate-600">No orders yet.</p> : (
        <ul className="mt-3 space-y-2">
          {data.map((o) => (
            <li key={o.id} className="card flex flex-wrap items-center gap-3">
              <Link to={`/orders/${o.id}`} className="font-semibold underline">{o.quantity} × sale {o.saleId}</Link>
              <StatusPill status={o.status} />
              <span className="tabular text-slate-700">{formatMoney(o.totalMinor, o.currency)}</span>
              <span className="text-sm text-slate-600">{formatDateTime(o.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const useOrderQueryList = () => useMyOrdersQuery(undefined, { refetchOnMountOrArgChange: true });
