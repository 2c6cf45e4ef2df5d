import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useCreateSaleMutation, useProductsQuery, useSaleQuery, useUpdateSaleMutation } from '../api/api';
import { fieldErrors, type Problem } from '../api/problem';
import type { Sale, SaleTerms } from '../api/types';
import { ProblemScreen } from '../components/ProblemScreen';
import { Field } from './Field';

const FIELDS = ['productId', 'title', 'priceMinor', 'currency', 'stock', 'opensAt', 'closesAt', 'perUserLimit',
  'queueCapacity', 'windowSeconds', 'holdSeconds'] as const;
type Values = Record<(typeof FIELDS)[number], string> & { queueEnabled: boolean };

/** "2026-11-25T12:00" in the admin's own time zone, as a datetime-local input wants it. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const toIso = (local: string) => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : null);
const toInt = (text: string) => (text.trim() === '' || Number.isNaN(Number(text)) ? null : Number(text));

/** Form values to the API's body; what cannot be parsed goes as null and the API names it. */
export function toTerms(v: Values): SaleTerms {
  const price = v.priceMinor.trim() === '' || Number.isNaN(Number(v.priceMinor)) ? null : Math.round(Number(v.priceMinor) * 100);
  return {
    productId: toInt(v.productId), title: v.title, priceMinor: price, currency: v.currency.trim().toUpperCase(),
    stock: toInt(v.stock), opensAt: toIso(v.opensAt), closesAt: toIso(v.closesAt), perUserLimit: toInt(v.perUserLimit),
    queueCapacity: toInt(v.queueCapacity), windowSeconds: toInt(v.windowSeconds) ?? undefined, holdSeconds: toInt(v.holdSeconds) ?? undefined,
    queueEnabled: v.queueEnabled,
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
  };
}

export function SaleFormPage() {
  const id = useParams().id;
  const existing = useSaleQuery(Number(id), { skip: !id });
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
  const errors = fieldErrors(problem, FIELDS);
  const set = (name: (typeof FIELDS)[number]) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    try {
      const saved = sale ? await update({ id: sale.id, body: toTerms(values) }).unwrap() : await create(toTerms(values)).unwrap();
      navigate(`/admin/sales/${saved.id}`);
    } catch (err) {
      setProblem(err as Problem);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="card mx-auto max-w-2xl space-y-4" aria-labelledby="sale-form-title">
      <h1 id="sale-form-title" className="text-2xl font-bold">{sale ? `Edit “${sale.title}”` : 'New sale'}</h1>
      {problem && Object.keys(errors).length === 0 && <p role="alert" className="rounded bg-red-50 p-2 text-red-900">{problem.detail ?? problem.title}</p>}
      {problem && Object.keys(errors).length > 0 && <p role="alert" className="text-red-900">Please correct the fields marked below.</p>}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="productId" label="Product" value={values.productId} onChange={set('productId')} error={errors.productId}>
          <select id="productId" className="field-input" value={values.productId} onChange={(e) => set('productId')(e.target.value)}
            aria-invalid={!!errors.productId} aria-describedby={errors.productId ? 'productId-error' : undefined}>
            <option value="">Choose a product…</option>
            {products.data?.map((p) => <option key={p.id} value={p.id}>{p.name} ({p.sku})</option>)}
          </select>
        </Field>
        <Field name="title" label="Title" value={values.title} onChange={set('title')} error={errors.title} />
        <Field name="priceMinor" label="Price" value={values.priceMinor} onChange={set('priceMinor')} error={errors.priceMinor} hint="For example 19.99" />
        <Field name="currency" label="Currency" value={values.currency} onChange={set('currency')} error={errors.currency} />
        <Field name="stock" label="Stock" type="number" value={values.stock} onChange={set('stock')} error={errors.stock} />
        <Field name="perUserLimit" label="Limit per shopper" type="number" value={values.perUserLimit} onChange={set('perUserLimit')} error={errors.perUserLimit} />
        <Field name="opensAt" label="Opens at" type="datetime-local" value={values.opensAt} onChange={set('opensAt')} error={errors.opensAt} />
        <Field name="closesAt" label="Closes at" type="datetime-local" value={values.closesAt} onChange={set('closesAt')} error={errors.closesAt} />
        <Field name="queueCapacity" label="Shoppers inside at once" type="number" value={values.queueCapacity} onChange={set('queueCapacity')} error={errors.queueCapacity} />
        <Field name="windowSeconds" label="Shopping window (s)" type="number" value={values.windowSeconds} onChange={set('windowSeconds')} error={errors.windowSeconds} />
        <Field name="holdSeconds" label="Time to pay (s)" type="number" value={values.holdSeconds} onChange={set('holdSeconds')} error={errors.holdSeconds} />
      </div>
      <div className="flex items-start gap-2">
        <input id="queueEnabled" type="checkbox" className="mt-1 h-5 w-5 accent-red-800" checked={values.queueEnabled}
          onChange={(e) => setValues((v) => ({ ...v, queueEnabled: e.target.checked }))} aria-describedby="queueEnabled-hint" />
        <div>
          <label htmlFor="queueEnabled" className="field-label">Shoppers queue in the waiting room</label>
          <p id="queueEnabled-hint" className="text-sm text-slate-600">At most “shoppers inside at once” may buy at a time; the rest wait their turn.</p>
        </div>
      </div>
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={creating.isLoading || updating.isLoading}>{sale ? 'Save sale' : 'Create sale'}</button>
        <button type="button" className="btn-secondary" onClick={() => navigate('/admin')}>Back</button>
      </div>
    </form>
  );
}
