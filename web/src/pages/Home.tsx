import { useEffect } from 'react';
import { Link } from 'react-router';
import { useSalesQuery } from '../api/api';
import type { Sale } from '../api/types';
import { Countdown } from '../components/Countdown';
import { ProblemScreen } from '../components/ProblemScreen';
import { ProductImage } from '../components/ProductImage';
import { StatusBadge, StockBar } from '../components/ui';
import { formatMoney, formatOpening } from '../lib/format';



function SaleCard({ sale, first }: { sale: Sale; first: boolean }) {
  const opening = formatOpening(sale.opensAt);
  return (
    <li className="card relative flex flex-col gap-3 overflow-hidden p-0 sm:p-0" data-testid={`sale-card-${sale.id}`}>
      <ProductImage src={sale.product.imageUrl} alt="" name={sale.product.name} size="card" priority={first} />
      <div className="min-w-0 flex-1 space-y-1 px-4 pb-4">
        <div className="flex flex-wrap items-center gap-2"><StatusBadge status={sale.status} /></div>
        <h2 className="text-lg font-bold leading-snug [overflow-wrap:anywhere]">
          {/* The whole card is the link's target area; the title stays the link's name. */}
          <Link to={`/sales/${sale.id}`} className="after:absolute after:inset-0 hover:underline focus-visible:outline-2 focus-visible:outline-focus">{sale.title}</Link>
        </h2>
        <p className="text-ink-soft [overflow-wrap:anywhere]">{sale.product.name} · <span className="font-semibold text-ink">{formatMoney(sale.price.amountMinor, sale.price.currency)}</span></p>
        {sale.status === 'UPCOMING' && (
          <p className="text-sm text-ink-soft">
            Opens in <Countdown to={sale.opensAt} label="Opens in" className="font-bold text-ink" />
            <span className="block text-muted"><time dateTime={sale.opensAt}>{opening.date}, {opening.time}</time> ({opening.zone})</span>
          </p>
        )}
        {(sale.status === 'LIVE' || sale.status === 'SOLD_OUT') && (
          <div className="text-sm"><StockBar left={sale.unitsLeft} total={sale.stock} />
            {sale.status === 'LIVE' && <p className="mt-1 text-muted">Ends in <Countdown to={sale.closesAt} label="Ends in" /></p>}</div>
        )}
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
        <h1 id="live-heading" className="text-3xl font-black tracking-tight">Live now</h1>
        {isLoading ? <p className="mt-2 text-muted">Loading sales…</p> : live.length === 0 ? (
          <p className="mt-2 text-muted">No sale is live right now.</p>
        ) : (
          <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{live.map((s, i) => <SaleCard key={s.id} sale={s} first={i === 0} />)}</ul>
        )}
      </section>
      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading" className="text-2xl font-black tracking-tight">Coming up</h2>
        {!isLoading && upcoming.length === 0 ? <p className="mt-2 text-muted">Nothing is scheduled yet. New drops appear here with their opening time.</p> : (
          <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{upcoming.map((s) => <SaleCard key={s.id} sale={s} first={false} />)}</ul>
        )}
      </section>
    </div>
  );
}
export { StatusBadge } from '../components/ui';
