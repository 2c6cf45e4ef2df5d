import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useSaleQuery, useSaleQueueQuery, useSaleStatsQuery } from '../api/api';
import { asProblem } from '../api/problem';
import { ProblemScreen } from '../components/ProblemScreen';
import { ProductImage } from '../components/ProductImage';
import { BigCountdown } from '../components/ui';
import { formatDateTime, formatMoney, orderCode, parseId } from '../lib/format';
import { StatusBadge } from '../pages/Home';
import { StatusPill } from '../pages/OrderPage';
import { emptyTracker, track } from './rate';

function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <div className="card">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="tabular text-2xl font-bold" data-testid={testId}>{value}</dd>
    </div>
  );
}

/** One sale, live: figures from the API's stats (Redis hot state) and the waiting room, read every second. */
export function Dashboard() {
  const saleId = parseId(useParams().id);
  if (saleId === null) return <ProblemScreen problem={{ type: 'not-found', title: 'Sale not found', status: 404, detail: 'There is no sale at this address.' }} />;
  return <SaleDashboard saleId={saleId} />;
}

function SaleDashboard({ saleId }: { saleId: number }) {
  const sale = useSaleQuery(saleId);
  const stats = useSaleStatsQuery(saleId, { pollingInterval: 1000 });
  const queue = useSaleQueueQuery(saleId, { pollingInterval: 1000 });
  const [tracker, setTracker] = useState(emptyTracker);

  useEffect(() => {
    if (stats.data) setTracker((t) => track(t, stats.data!));
  }, [stats.data]);

  if (stats.error && !stats.data) return <ProblemScreen problem={stats.error} onRetry={stats.refetch} />;
  const s = stats.data;
  if (!s) return <p>Loading…</p>;
  const q = queue.data;
  const lastRate = tracker.samples.at(-1)?.perSecond ?? 0;
  const price = sale.data?.price;
  const product = sale.data?.product;
  // Revenue is what was paid (units sold × price), not what is merely held.
  const revenue = price ? formatMoney(s.unitsSold * price.amountMinor, price.currency) : '–';
  const bought = s.unitsSold + s.unitsHeld;
  const paidShare = bought > 0 ? `${Math.round((s.unitsSold / bought) * 100)} %` : '–';
  // The funnel's first step: orders per shopper let in (a sale without a waiting room lets nobody in).
  const queued = sale.data?.queueEnabled ?? s.admitted > 0;
  const boughtShare = queued && s.admitted > 0 ? `${Math.round((s.ordersAccepted / s.admitted) * 100)} %` : '–';
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        {/* The whole first line on a phone, so a long title wraps in a column of its own width. */}
        <div className="flex min-w-0 basis-full items-center gap-3 md:basis-0 md:flex-1">
          {product && <ProductImage src={product.imageUrl} alt="" name={product.name} size="thumb" />}
          <div className="min-w-0 flex-1">
            <h1 className="text-2xl font-bold [overflow-wrap:anywhere]">{s.title}</h1>
            {product && <p className="text-muted [overflow-wrap:anywhere]" data-testid="dashboard-product">{product.name}</p>}
          </div>
        </div>
        <StatusBadge status={s.status} />
        <span className="text-sm text-muted md:ml-auto" aria-live="off">
          {stats.error ? <span className="text-danger">Connection lost: retrying…</span> : <>Updated every second</>}
        </span>
        <Link to={`/admin/sales/${saleId}/edit`} className="btn-secondary ml-auto md:ml-0">Edit</Link>
      </div>
      {s.status === 'UPCOMING' && sale.data && Date.parse(sale.data.opensAt) > Date.now() && (
        <section className="card" data-testid="dashboard-countdown" aria-label="Until the opening">
          <BigCountdown to={sale.data.opensAt} label="Opens in" />
        </section>
      )}
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Figure label="Units left" value={`${s.unitsLeft} / ${s.stock}`} testId="stat-units-left" />
        <Figure label="Sold (paid)" value={s.unitsSold} testId="stat-sold" />
        <Figure label="Held (awaiting payment)" value={s.unitsHeld} testId="stat-held" />
        <Figure label="Orders" value={s.ordersAccepted} testId="stat-orders" />
        <Figure label="Revenue (paid)" value={revenue} testId="stat-revenue" />
        <Figure label="Admitted (waiting room)" value={queued ? s.admitted : '–'} testId="stat-admitted" />
        <Figure label="Admitted → bought" value={boughtShare} testId="stat-admitted-conversion" />
        <Figure label="Bought → paid" value={paidShare} testId="stat-conversion" />
        <Figure label="Queue length" value={q ? q.queueLength : '–'} testId="stat-queue" />
        <Figure label="Shoppers inside" value={q ? `${q.inside} / ${q.capacity}` : '–'} testId="stat-inside" />
        <Figure label="Admissions per minute" value={q ? q.admittedPerMinute.toFixed(1) : '–'} testId="stat-admission-rate" />
        <Figure label="Purchases per second" value={lastRate.toFixed(1)} testId="stat-rate" />
      </dl>
      {!q && <p className="text-sm text-muted">The waiting room has not reported for this sale{queue.error ? ` (${asProblem(queue.error).status || 'no answer'})` : ''}.</p>}
      <section className="card" aria-labelledby="rate-heading">
        <h2 id="rate-heading" className="mb-2 font-semibold">Purchases per second</h2>
        <div className="h-56 w-full" role="img" aria-label={`Chart of purchases per second; latest ${lastRate.toFixed(1)}`}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={tracker.samples} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--line)" />
              <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} unit=" s" tick={{ fontSize: 12 }} />
              <YAxis allowDecimals={false} width={40} tick={{ fontSize: 12 }} />
              <Tooltip formatter={(v) => [`${v}/s`, 'purchases']} labelFormatter={(t) => `${t} s`} />
              <Line type="linear" dataKey="perSecond" stroke="var(--brand)" strokeWidth={2} dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>
      <section aria-labelledby="latest-heading">
        <h2 id="latest-heading" className="mb-2 font-semibold">Latest orders</h2>
        {s.latestOrders.length === 0 ? <p className="text-muted">No orders yet.</p> : (
          // A table on a wide screen, cards on a phone (as the sales list): nothing scrolls sideways.
          <table className="block w-full text-left text-sm md:table md:table-fixed" data-testid="latest-orders">
            <thead className="hidden md:table-header-group"><tr className="border-b border-line"><th className="w-[22%] p-2">Order</th><th className="p-2">Shopper</th><th className="p-2">Qty</th><th className="p-2">Total</th><th className="p-2">Status</th><th className="w-[24%] p-2">At</th></tr></thead>
            <tbody className="block space-y-2 md:table-row-group md:space-y-0">
              {s.latestOrders.map((o) => (
                <tr key={o.id} className="card grid grid-cols-2 gap-x-3 gap-y-1 md:table-row md:rounded-none md:border-0 md:border-b md:bg-transparent md:p-0 md:shadow-none">
                  <td className="md:table-cell md:p-2"><span className="font-mono font-semibold">{orderCode(o.id)}</span><span className="sr-only"> (id {o.id})</span></td>
                  <td className="text-right md:table-cell md:p-2 md:text-left"><span className="md:hidden text-muted">Shopper </span>#{o.userId}</td>
                  <td className="tabular md:table-cell md:p-2"><span className="md:hidden text-muted">Qty </span>{o.quantity}</td>
                  <td className="tabular text-right md:table-cell md:p-2 md:text-left">{formatMoney(o.totalMinor, o.currency)}</td>
                  <td className="md:table-cell md:p-2"><StatusPill status={o.status} /></td>
                  <td className="text-right text-muted md:table-cell md:p-2 md:text-left md:text-ink">{formatDateTime(o.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
