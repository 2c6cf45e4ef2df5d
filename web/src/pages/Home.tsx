import { useEffect } from 'react';
import { Link } from 'react-router';
import { useSalesQuery } from '../api/api';
import type { Sale } from '../api/types';
import { Countdown } from '../components/Countdown';
import { ProblemScreen } from '../components/ProblemScreen';
import { formatMoney } from '../lib/format';

export function StatusBadge({ status }: { status: Sale['status'] }) {
  const styles: Record<Sale['status'], string> = {
    LIVE: 'bg-green-100 text-green-900',
    UPCOMING: 'bg-amber-100 text-amber-900',
    SOLD_OUT: 'bg-slate-200 text-slate-800',
    ENDED: 'bg-slate-200 text-slate-800',
    CANCELLED: 'bg-slate-200 text-slate-800',
  };
  const words: Record<Sale['status'], string> = {
    LIVE: 'Live now', UPCOMING: 'Upcoming', SOLD_OUT: 'Sold out', ENDED: 'Ended', CANCELLED: 'Cancelled',
  };
  return <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${styles[status]}`}>{words[status]}</span>;
}

function SaleCard({ sale }: { sale: Sale }) {
  return (
    <li className="card flex gap-4" data-testid={`sale-card-${sale.id}`}>
      <img src={sale.product.imageUrl || '/img/runner.svg'} alt="" width={72} height={72} className="h-18 w-18 flex-none rounded" />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="text-lg font-semibold">
            <Link to={`/sales/${sale.id}`} className="hover:underline focus-visible:outline-2 focus-visible:outline-red-800">{sale.title}</Link>
          </h2>
          <StatusBadge status={sale.status} />
        </div>
        <p className="text-slate-700">{sale.product.name} · {formatMoney(sale.price.amountMinor, sale.price.currency)}</p>
        <p className="text-sm text-slate-600">
          {sale.status === 'UPCOMING' && <>Opens in <Countdown to={sale.opensAt} label="Opens in" className="font-semibold" /></>}
          {sale.status === 'LIVE' && <><span className="tabular font-semibold">{sale.unitsLeft}</span> of {sale.stock} left · ends in <Countdown to={sale.closesAt} label="Ends in" /></>}
        </p>
      </div>
    </li>
  );
}

export function Home() {
  const { data, error, refetch, isLoading } = useSalesQuery(undefined, { pollingInterval: 15_000 });
  // Ask again the moment the next sale opens, so it moves to "Live now" when its countdown ends.
  const nextOpening = data?.filter((s) => s.status === 'UPCOMING').map((s) => Date.parse(s.opensAt)).sort((a, b) => a - b)[0];
  useEffect(() => {
    // Far-off openings are left to the polling (a timer that long would overflow setTimeout).
    if (nextOpening === undefined || nextOpening - Date.now() > 3_600_000) return;
    const timer = setTimeout(refetch, Math.max(0, nextOpening - Date.now()) + 1500);
    return () => clearTimeout(timer);
  }, [nextOpening, refetch]);
  if (error) return <ProblemScreen problem={error} onRetry={refetch} />;
  // A sold-out sale stays listed with its badge until it closes: units come back when holds expire.
  const live = data?.filter((s) => s.status === 'LIVE' || s.status === 'SOLD_OUT') ?? [];
  const upcoming = data?.filter((s) => s.status === 'UPCOMING') ?? [];
  return (
    <div className="space-y-8">
      <section aria-labelledby="live-heading">
        <h1 id="live-heading" className="text-2xl font-bold">Live now</h1>
        {isLoading ? <p className="mt-2 text-slate-600">Loading sales…</p> : live.length === 0 ? (
          <p className="mt-2 text-slate-600">No sale is live right now.</p>
        ) : (
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">{live.map((s) => <SaleCard key={s.id} sale={s} />)}</ul>
        )}
      </section>
      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading" className="text-2xl font-bold">Coming up</h2>
        {!isLoading && upcoming.length === 0 ? <p className="mt-2 text-slate-600">Nothing scheduled.</p> : (
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">{upcoming.map((s) => <SaleCard key={s.id} sale={s} />)}</ul>
        )}
      </section>
    </div>
  );
}
