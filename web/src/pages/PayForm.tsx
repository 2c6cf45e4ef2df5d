import { useRef, useState, type FormEvent } from 'react';
import { usePayOrderMutation } from '../api/api';
import { fieldErrors, problemKind, type Problem } from '../api/problem';
import type { PaymentReceipt } from '../api/types';
import { formatMoney } from '../lib/format';

/**
 * Pays a held order. One Idempotency-Key per attempt: a retry after a lost answer or an
 * unavailable provider reuses it (never charged twice); a declined card starts a new attempt.
 */
export function PayForm({ orderId, amountMinor, currency, onPaid }: {
  orderId: string; amountMinor?: number; currency?: string; onPaid: (receipt: PaymentReceipt) => void;
}) {
  const [cardNumber, setCardNumber] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [pay, { isLoading }] = usePayOrderMutation();
  const key = useRef(crypto.randomUUID());
  const errors = fieldErrors(problem, ['cardNumber']);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    try {
      onPaid(await pay({ orderId, cardNumber: cardNumber.replace(/\s+/g, ''), idempotencyKey: key.current }).unwrap());
    } catch (err) {
      const p = err as Problem;
      if (p.status > 0 && p.status < 500) key.current = crypto.randomUUID();
      setProblem(p);
    }
  }

  const kind = problemKind(problem);
  let message: string | undefined;
  if (kind === 'payment-declined') message = problem!.detail;
  else if (kind === 'payment-unavailable') message = 'The payment provider did not answer and nothing was charged. Try again.';
  else if (problem?.status === 0) message = 'Network lost: nothing was charged twice. Try again when you are back online.';
  else if (problem && !errors.cardNumber) message = problem.detail ?? problem.title;

  return (
    <form onSubmit={submit} noValidate className="space-y-3 border-t border-slate-200 pt-3" aria-labelledby="pay-title">
      <h2 id="pay-title" className="font-semibold">Pay</h2>
      <div>
        <label htmlFor="cardNumber" className="field-label">Card number</label>
        <input id="cardNumber" className="field-input tabular" inputMode="numeric" autoComplete="cc-number" value={cardNumber}
          onChange={(e) => setCardNumber(e.target.value)} aria-invalid={!!errors.cardNumber}
          aria-describedby={errors.cardNumber ? 'cardNumber-error' : 'cardNumber-hint'} />
        {errors.cardNumber ? <p id="cardNumber-error" className="field-error">Card number {errors.cardNumber}</p>
          : <p id="cardNumber-hint" className="mt-1 text-sm text-slate-600">Demo shop: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.</p>}
      </div>
      {message && <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-900">{message}</p>}
      <button type="submit" className="btn-primary" disabled={isLoading}>
        {isLoading ? 'Paying…' : amountMinor !== undefined && currency ? `Pay ${formatMoney(amountMinor, currency)}` : 'Pay'}
      </button>
    </form>
  );
}
