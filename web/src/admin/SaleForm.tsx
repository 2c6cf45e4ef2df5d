import { useRef, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useCreateSaleMutation, useProductsQuery, useSaleQuery, useUpdateSaleMutation } from '../api/api';
import { type Problem } from '../api/problem';
import type { Sale, SaleTerms } from '../api/types';
import { ProblemScreen } from '../components/ProblemScreen';
import { ErrorSummary, Field, leaving } from '../components/Field';
import { formatDuration, parseId } from '../lib/format';
import { focusFirstInvalid, serverFieldErrors, useValidation, type Rules } from '../lib/validation';

const FIELDS = ['productId', 'title', 'priceMinor', 'currency', 'stock', 'opensAt', 'closesAt', 'perUserLimit',
  'queueCapacity', 'windowSeconds', 'holdSeconds'] as const;
type Values = Record<(typeof FIELDS)[number], string> & { queueEnabled: boolean; verifiedEmailOnly: boolean };

/** "2026-11-25T12:00" in the admin's own time zone, as a datetime-local input wants it. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const toIso = (local: string) => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : null);
const toInt = (text: string) => (text.trim() === '' || Number.isNaN(Number(text)) ? null : Number(text));

const LABELS: Record<(typeof FIELDS)[number], string> = {
  productId: 'Product', title: 'Title', priceMinor: 'Price', currency: 'Currency', stock: 'Stock', opensAt: 'Opens at',
  closesAt: 'Closes at', perUserLimit: 'Limit per shopper', queueCapacity: 'Shoppers inside at once',
  windowSeconds: 'Shopping window', holdSeconds: 'Time to pay',
};

const wholeNumber = (text: string, min: number, max: number, sentence: string) => {
  const n = Number(text);
  return text.trim() === '' || !Number.isInteger(n) || n < min || n > max ? sentence : undefined;
};
const optionalSeconds = (what: string) => (text: string) =>
  text.trim() === '' ? undefined : wholeNumber(text, 30, 86_400, `${what} must be from 30 seconds to a day (86,400 seconds).`);

/** What an admin is told, per field and all at once, before anything is sent. */
export const SALE_RULES: Rules<Values> = {
  productId: (v) => (v ? undefined : 'Choose a product.'),
  title: (v) => (v.trim() === '' ? 'Give the sale a title.' : v.length > 200 ? 'Keep the title to 200 characters or fewer.' : undefined),
  priceMinor: (v) => {
    if (v.trim() === '') return 'Enter a price, such as 19.99.';
    if (!/^\d+([.,]\d{1,2})?$/.test(v.trim())) return 'Enter the price as a number with at most two decimals, such as 19.99.';
    return undefined;
  },
  currency: (v) => (/^[A-Za-z]{3}$/.test(v.trim()) ? undefined : 'Use a three-letter currency code, such as EUR.'),
  stock: (v) => wholeNumber(v, 1, 10_000_000, 'Stock must be a whole number of at least 1.'),
  perUserLimit: (v) => wholeNumber(v, 1, 1000, 'The limit per shopper must be a whole number from 1 to 1,000.'),
  opensAt: (v) => (toIso(v) ? undefined : 'Choose when the sale opens.'),
  closesAt: (v, all) => {
    if (!toIso(v)) return 'Choose when the sale closes.';
    const opens = toIso(all.opensAt);
    return opens && Date.parse(toIso(v)!) <= Date.parse(opens) ? 'The sale must close after it opens.' : undefined;
  },
  queueCapacity: (v) => wholeNumber(v, 1, 1_000_000, 'Let in at least 1 shopper at once (at most 1,000,000).'),
  windowSeconds: optionalSeconds('The shopping window'),
  holdSeconds: optionalSeconds('The time to pay'),
};

/** Form values to the API's body; what cannot be parsed goes as null and the API names it. */
export function toTerms(v: Values): SaleTerms {
  const priceText = v.priceMinor.trim().replace(',', '.');
  const price = priceText === '' || Number.isNaN(Number(priceText)) ? null : Math.round(Number(priceText) * 100);
  return {
    productId: toInt(v.productId), title: v.title, priceMinor: price, currency: v.currency.trim().toUpperCase(),
    stock: toInt(v.stock), opensAt: toIso(v.opensAt), closesAt: toIso(v.closesAt), perUserLimit: toInt(v.perUserLimit),
    queueCapacity: toInt(v.queueCapacity), windowSeconds: toInt(v.windowSeconds) ?? undefined, holdSeconds: toInt(v.holdSeconds) ?? undefined,
    queueEnabled: v.queueEnabled, verifiedEmailOnly: v.verifiedEmailOnly,
  } as unknown as SaleTerms;
}

function initial(sale?: Sale): Values {
  const soon = Date.now() + 2 * 60_000;
  return {
    productId: sale ? String(sale.product.id) : '',
    title: sale?.title ?? '',
    priceMinor: sale ? (sale.price.amountMinor / 100).toFixed(2) : '',
    currency: sale?.price.currency ?? 'EUR',
    stock: sale ? String(sale.stock) : '',
    opensAt: toLocalInput(sale?.opensAt ?? new Date(soon).toISOString()),
    closesAt: toLocalInput(sale?.closesAt ?? new Date(soon + 3600_000).toISOString()),
    perUserLimit: sale ? String(sale.perUserLimit) : '1',
    queueCapacity: sale ? String(sale.queueCapacity) : '100',
    windowSeconds: sale ? String(sale.windowSeconds) : '600',
    holdSeconds: sale ? String(sale.holdSeconds) : '300',
    // New sales queue their shoppers: a drop without a waiting room is the exception.
    queueEnabled: sale?.queueEnabled ?? true,
    verifiedEmailOnly: sale?.verifiedEmailOnly ?? false,
  };
}

export function SaleFormPage() {
  const id = useParams().id;
  const saleId = parseId(id);
  const existing = useSaleQuery(saleId ?? 0, { skip: !saleId });
  if (id && !saleId) return <ProblemScreen problem={{ type: 'not-found', title: 'Sale not found', status: 404, detail: 'There is no sale at this address.' }} />;
  if (id && existing.error) return <ProblemScreen problem={existing.error} onRetry={existing.refetch} />;
  if (id && !existing.data) return <p>Loading…</p>;
  return <SaleForm key={id ?? 'new'} sale={existing.data} />;
}

export function SaleForm({ sale }: { sale?: Sale }) {
  const [values, setValues] = useState<Values>(() => initial(sale));
  const [problem, setProblem] = useState<Problem>();
  const products = useProductsQuery();
  const [create, creating] = useCreateSaleMutation();
  const [update, updating] = useUpdateSaleMutation();
  const navigate = useNavigate();
  const form = useRef<HTMLFormElement>(null);
  const check = useValidation(values, SALE_RULES);
  const errors = check.errors;
  const set = (name: (typeof FIELDS)[number]) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    if (!check.attempt()) {
      focusFirstInvalid(form.current);
      return;
    }
    try {
      const saved = sale ? await update({ id: sale.id, body: toTerms(values) }).unwrap() : await create(toTerms(values)).unwrap();
      navigate(`/admin/sales/${saved.id}`);
    } catch (err) {
      const p = err as Problem;
      const fromServer = serverFieldErrors<Values>(p, LABELS);
      if (Object.keys(fromServer).length) {
        check.fromServer(fromServer);
        focusFirstInvalid(form.current);
      } else setProblem(p);
    }
  }

  const field = (name: (typeof FIELDS)[number], extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={LABELS[name]} value={values[name]} onChange={set(name)} onBlur={() => check.touch(name)} error={errors[name]} {...extra} />
  );
  const seconds = (text: string) => (text.trim() && Number.isInteger(Number(text)) && Number(text) > 0 ? formatDuration(Number(text)) : undefined);

  return (
    <form ref={form} onSubmit={submit} noValidate className="card mx-auto max-w-2xl space-y-4" aria-labelledby="sale-form-title">
      <h1 id="sale-form-title" className="text-2xl font-bold break-words">{sale ? `Edit “${sale.title}”` : 'New sale'}</h1>
      {problem && <p role="alert" className="notice-danger">{problem.status === 0 ? 'We could not reach the server; nothing was saved. Try again.' : problem.detail ?? problem.title}</p>}
      {check.submitted && <ErrorSummary count={check.count} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="productId" label="Product" value={values.productId} onChange={set('productId')} error={errors.productId}>
          <select id="productId" className="field-input" value={values.productId} onChange={(e) => set('productId')(e.target.value)}
            onBlur={leaving(() => check.touch('productId'))} aria-invalid={!!errors.productId} aria-describedby={errors.productId ? 'productId-error' : undefined}>
            <option value="">Choose a product…</option>
            {products.data?.map((p) => <option key={p.id} value={p.id}>{p.name} ({p.sku})</option>)}
          </select>
        </Field>
        {field('title')}
        {field('priceMinor', { hint: 'For example 19.99', inputMode: 'decimal' })}
        {field('currency')}
        {field('stock', { type: 'number' })}
        {field('perUserLimit', { type: 'number' })}
        {field('opensAt', { type: 'datetime-local' })}
        {field('closesAt', { type: 'datetime-local' })}
        {field('queueCapacity', { type: 'number' })}
        {field('windowSeconds', { type: 'number', label: 'Shopping window (seconds)', hint: seconds(values.windowSeconds) ?? 'Empty: 10 minutes' })}
        {field('holdSeconds', { type: 'number', label: 'Time to pay (seconds)', hint: seconds(values.holdSeconds) ?? 'Empty: 5 minutes' })}
      </div>
      <div className="flex items-start gap-2">
        <input id="queueEnabled" type="checkbox" className="mt-1 h-5 w-5 accent-brand" checked={values.queueEnabled}
          onChange={(e) => setValues((v) => ({ ...v, queueEnabled: e.target.checked }))} aria-describedby="queueEnabled-hint" />
        <div>
          <label htmlFor="queueEnabled" className="field-label">Shoppers queue in the waiting room</label>
          <p id="queueEnabled-hint" className="text-sm text-muted">At most “shoppers inside at once” may buy at a time; the rest wait their turn.</p>
        </div>
      </div>
      <div className="flex items-start gap-2">
        <input id="verifiedEmailOnly" type="checkbox" className="mt-1 h-5 w-5 accent-brand" checked={values.verifiedEmailOnly}
          onChange={(e) => setValues((v) => ({ ...v, verifiedEmailOnly: e.target.checked }))} aria-describedby="verifiedEmailOnly-hint" />
        <div>
          <label htmlFor="verifiedEmailOnly" className="field-label">Verified email accounts only</label>
          <p id="verifiedEmailOnly-hint" className="text-sm text-muted">Only shoppers who confirmed their email may join and buy. Cannot change once the sale is live.</p>
        </div>
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={creating.isLoading || updating.isLoading}>{sale ? 'Save sale' : 'Create sale'}</button>
        <button type="button" className="btn-secondary" onClick={() => navigate('/admin')}>Back</button>
      </div>
    </form>
  );
}
