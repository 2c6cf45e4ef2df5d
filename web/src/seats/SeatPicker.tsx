import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { usePickSeatsMutation } from '../api/api';
import type { Problem } from '../api/problem';
import type { PurchaseReceipt, Sale, SeatPickBody } from '../api/types';
import { ProblemScreen } from '../components/ProblemScreen';
import { RingCountdown } from '../components/ui';
import { formatMoney, plural } from '../lib/format';
import { rememberReceipt } from '../orders/receipts';
import { seatName, seatPrice, type SeatModel } from './seatLayout';
import type { SeatState } from './seatState';

type TakenProblem = Problem & { seats?: { id: number; position: number; label: string }[]; seatsFree?: number };

/**
 * The shopper's seats: the selection with area, price and a running total, the per-shopper limit,
 * "best available N in an area", then the pick, which holds the seats like a unit purchase holds
 * units (Admission-Token when the sale queues, one Idempotency-Key per intent) and goes on to the
 * same order page: ring countdown, payment, confirmation and email.
 */
export function SeatPicker({ sale, model, state, admission, onUnselect, onClear, onRefresh, notice, onDone }: {
  sale: Sale; model: SeatModel; state: SeatState; admission?: { token: string; windowEndsAt: string };
  onUnselect: (positions: number[]) => void; onClear: () => void; onRefresh: () => void; notice?: string; onDone: () => void;
}) {
  const [pick, { isLoading }] = usePickSeatsMutation();
  const [problem, setProblem] = useState<TakenProblem>();
  const navigate = useNavigate();
  const idempotencyKey = useRef(crypto.randomUUID());
  const heading = useRef<HTMLHeadingElement>(null);
  const { areas, currency } = model.layout;
  const [area, setArea] = useState(areas[0]?.name ?? '');
  const [count, setCount] = useState(Math.min(2, sale.perUserLimit));
  useEffect(() => {
    if (admission) heading.current?.focus();
  }, [admission]);
  // A new selection is a new intent: a retry of the same one keeps its key, another choice gets its own.
  const selectionKey = state.selected.join(',');
  useEffect(() => {
    idempotencyKey.current = crypto.randomUUID();
  }, [selectionKey]);

  const total = useMemo(() => state.selected.reduce((sum, p) => sum + seatPrice(model, p), 0), [state.selected, model]);
  const free = useMemo(() => {
    const byArea = areas.map(() => 0);
    for (let p = 0; p < model.count; p++) if (state.states[p] === 0) byArea[model.areaOf[p]]++;
    return byArea;
  }, [state.states, model, areas]);

  async function send(body: SeatPickBody) {
    setProblem(undefined);
    try {
      const receipt = await pick({ saleId: sale.id, body, admissionToken: admission?.token, idempotencyKey: idempotencyKey.current }).unwrap();
      // The order page shows the receipt until the worker has written the order row: seats named as the API names them.
      const remembered = {
        orderId: receipt.orderId, shortCode: receipt.shortCode, saleId: receipt.saleId, status: receipt.status, quantity: receipt.quantity, payBy: receipt.payBy,
        totalMinor: receipt.amountMinor, currency: receipt.currency, seats: receipt.seats.map((s) => `${s.area} row ${s.row} seat ${s.seat}`),
      } as PurchaseReceipt;
      rememberReceipt(remembered, { productName: sale.product.name, productImageUrl: sale.product.imageUrl, saleTitle: sale.title, holdSeconds: sale.holdSeconds });
      onDone();
      navigate(`/orders/${receipt.orderId}`);
    } catch (err) {
      const p = err as TakenProblem;
      idempotencyKey.current = crypto.randomUUID();
      if (p.type.endsWith('/seats-taken')) {
        onUnselect((p.seats ?? []).map((s) => s.position));
        onRefresh();
      }
      setProblem(p);
    }
  }

  const inline = problem && /\/(seats-taken|not-enough-seats|limit-reached|invalid-request)$/.test(problem.type);
  if (problem && !inline) {
    return <ProblemScreen problem={problem} onRetry={problem.status === 429 || problem.status === 0 ? () => setProblem(undefined) : undefined} />;
  }
  const limitWords = sale.perUserLimit === 1 ? 'One seat per shopper.' : `Up to ${sale.perUserLimit} seats per shopper.`;
  const counts = Array.from({ length: sale.perUserLimit }, (_, i) => i + 1);

  return (
    <section className="card space-y-4 border-2 border-ok" aria-labelledby="seats-title" data-testid="seat-picker">
      <div className="flex flex-wrap items-center gap-3">
        <div className="mr-auto">
          <h2 id="seats-title" ref={heading} tabIndex={-1} className="text-xl font-bold focus:outline-none">{admission ? 'It is your turn: choose your seats' : 'Choose your seats'}</h2>
          <p className="text-sm text-muted">{limitWords} Pick on the map, or let us find the best seats together.</p>
        </div>
        {admission && <RingCountdown to={admission.windowEndsAt} total={sale.windowSeconds} label="Window closes in" size={56} />}
      </div>
      <div aria-live="polite" aria-atomic="true" className="empty:hidden" data-testid="seat-notice">
        {notice && <p className="notice-warn">{notice}</p>}
      </div>
      {problem && inline && (
        <div role="alert" className="notice-danger" data-testid="pick-problem">
          {problem.type.endsWith('/seats-taken') ? (
            <p>
              {problem.seats?.length ? `${problem.seats.map((s) => s.label).join(', ')} ${problem.seats.length === 1 ? 'was' : 'were'} just taken by someone else.` : 'Some seats were just taken by someone else.'}
              {' '}Nothing was held; the map shows what is free now.
            </p>
          ) : <p>{problem.detail ?? problem.title}</p>}
        </div>
      )}
      <div>
        <h3 className="font-semibold">Your seats <span className="text-muted tabular">({state.selected.length} of {sale.perUserLimit})</span></h3>
        {state.selected.length === 0 ? (
          <p className="text-sm text-muted">No seats chosen yet.</p>
        ) : (
          <ul className="mt-1 divide-y divide-line" data-testid="selected-seats">
            {state.selected.map((p) => (
              <li key={p} className="flex items-center gap-2 py-1.5">
                <span className="mr-auto">{seatName(model, p)}</span>
                <span className="tabular">{formatMoney(seatPrice(model, p), currency)}</span>
                <button type="button" className="btn-secondary min-h-9 px-2 text-sm" onClick={() => onUnselect([p])} aria-label={`Remove ${seatName(model, p)}`}>Remove</button>
              </li>
            ))}
          </ul>
        )}
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <p className="mr-auto text-lg">Total <strong className="tabular" data-testid="seat-total">{formatMoney(total, currency)}</strong></p>
          {state.selected.length > 0 && <button type="button" className="btn-secondary" onClick={onClear}>Clear</button>}
          <button type="button" className="btn-primary min-h-12 text-lg" disabled={isLoading || state.selected.length === 0}
            onClick={() => send({ seats: state.selected.map((p) => model.layout.seats.id[p]) })}>
            {isLoading ? 'Holding…' : state.selected.length ? `Hold ${plural(state.selected.length, 'seat')} for ${formatMoney(total, currency)}` : 'Hold seats'}
          </button>
        </div>
      </div>
      <form className="flex flex-wrap items-end gap-3 border-t border-line pt-3" aria-label="Best available"
        onSubmit={(e) => { e.preventDefault(); void send({ area, count }); }}>
        <div>
          <label htmlFor="best-count" className="field-label">Best available</label>
          <select id="best-count" className="field-input w-20" value={count} onChange={(e) => setCount(Number(e.target.value))}>
            {counts.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="best-area" className="field-label">in</label>
          <select id="best-area" className="field-input" value={area} onChange={(e) => setArea(e.target.value)}>
            {areas.map((a, i) => <option key={a.ordinal} value={a.name}>{a.name}, {formatMoney(a.priceMinor, currency)} ({free[i]} free)</option>)}
          </select>
        </div>
        <button type="submit" className="btn-secondary min-h-11" disabled={isLoading}>Find and hold</button>
      </form>
    </section>
  );
}
