import { useRef, useState, type FormEvent } from 'react';
import { usePayOrderMutation } from '../api/api';
import { problemKind, type Problem } from '../api/problem';
import type { PaymentReceipt } from '../api/types';
import { Field } from '../components/Field';
import { formatMoney } from '../lib/format';
import { serverFieldErrors, useValidation, type Rules } from '../lib/validation';

const TEST_CARD = '4242 4242 4242 4242';
const RULES: Rules<{ cardNumber: string }> = {
  cardNumber: (v) => (v.trim() === '' ? 'Enter your card number.' : /^\d{12,19}$/.test(v.replace(/[\s-]+/g, '')) ? undefined : 'A card number is 12 to 19 digits; check it and try again.'),
};

/**
 * Pays a held order. One Idempotency-Key per attempt: a retry after a lost answer or an
 * unavailable provider reuses it (never charged twice); a declined card starts a new attempt.
 */
export function PayForm({ orderId, amountMinor, currency, onPaid }: {
  orderId: string; amountMinor?: number; currency?: string; onPaid: (receipt: PaymentReceipt) => void;
}) {
  const [values, setValues] = useState({ cardNumber: '' });
  const [problem, setProblem] = useState<Problem>();
  const [pay, { isLoading }] = usePayOrderMutation();
  const key = useRef(crypto.randomUUID());
  const check = useValidation(values, RULES);

  async function send(cardNumber: string) {
    setProblem(undefined);
    try {
      onPaid(await pay({ orderId, cardNumber: cardNumber.replace(/[\s-]+/g, ''), idempotencyKey: key.current }).unwrap());
    } catch (err) {
      const p = err as Problem;
      if (p.status > 0 && p.status < 500) key.current = crypto.randomUUID();
      const fields = serverFieldErrors<{ cardNumber: string }>(p, { cardNumber: 'Card number' });
      if (Object.keys(fields).length) check.fromServer(fields);
      else setProblem(p);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (check.attempt()) void send(values.cardNumber);
  }

  const kind = problemKind(problem);
  let message: string | undefined;
  if (kind === 'payment-declined') message = 'Your card was declined and nothing was charged. Your units stay held until the timer ends: try another card.';
  else if (kind === 'payment-unavailable') message = 'The payment provider did not answer and nothing was charged. Try again.';
  else if (kind === 'hold-expired') message = 'The time to pay ran out, so the units went back to the sale. Nothing was charged.';
  else if (problem?.status === 0) message = 'Network lost: nothing was charged twice. Try again when you are back online.';
  else if (problem) message = problem.status >= 500 ? 'Something went wrong on our side and nothing was charged. Try again.' : problem.detail ?? problem.title;

  const amount = amountMinor !== undefined && currency ? formatMoney(amountMinor, currency) : undefined;
  return (
    <form onSubmit={submit} noValidate className="space-y-3 border-t border-line pt-4" aria-labelledby="pay-title">
      <h2 id="pay-title" className="text-lg font-semibold">Pay</h2>
      <button type="button" className="btn-primary w-full sm:w-auto" disabled={isLoading} onClick={() => {
        setValues({ cardNumber: TEST_CARD });
        void send(TEST_CARD);
      }}>
        {isLoading ? 'Paying…' : `Pay${amount ? ` ${amount}` : ''} with the saved test card ···· 4242`}
      </button>
      <p className="text-sm text-muted" aria-hidden="true">or pay with another card</p>
      <Field name="cardNumber" label="Card number" value={values.cardNumber} inputMode="numeric" autoComplete="cc-number"
        onChange={(v) => setValues({ cardNumber: v })} onBlur={() => check.touch('cardNumber')} error={check.errors.cardNumber}
        hint={`Demo shop: ${TEST_CARD} pays, 4000 0000 0000 0002 is declined.`} />
      <button type="submit" className="btn-secondary" disabled={isLoading}>{isLoading ? 'Paying…' : 'Pay with this card'}</button>
      {message && <p role="alert" className="notice-danger text-sm">{message}</p>}
    </form>
  );
}
