import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  useArmSaleMutation, useCancelSaleMutation, useCreateProductMutation, useProductsQuery, useSalesQuery,
  useUpdateProductMutation,
} from '../api/api';
import { asProblem, type Problem } from '../api/problem';
import type { Product } from '../api/types';
import { ProblemScreen } from '../components/ProblemScreen';
import { formatDateTime, formatMoney } from '../lib/format';
import { StatusBadge } from '../pages/Home';
import { ErrorSummary, Field } from '../components/Field';
import { ProductImage } from '../components/ProductImage';
import { focusFirstInvalid, serverFieldErrors, useValidation, type Rules } from '../lib/validation';

type ProductValues = { sku: string; name: string; description: string; imageUrl: string };
const PRODUCT_LABELS = { sku: 'SKU', name: 'Name', description: 'Description', imageUrl: 'Image URL' };

export const PRODUCT_RULES: Rules<ProductValues> = {
  sku: (v) => (v.trim() === '' ? 'Give the product a SKU, such as runner-42.'
    : !/^[A-Za-z0-9._-]+$/.test(v) ? "SKU may contain letters, digits, '.', '_' and '-' only (no spaces)."
      : v.length > 64 ? 'Keep the SKU to 64 characters or fewer.' : undefined),
  name: (v) => (v.trim() === '' ? 'Give the product a name.' : v.length > 200 ? 'Keep the name to 200 characters or fewer.' : undefined),
  description: (v) => (v.length > 2000 ? 'Keep the description to 2,000 characters or fewer.' : undefined),
  imageUrl: (v) => (v.trim() === '' || /^(https:\/\/[^\s]+|\/[^\s/][^\s]*)$/.test(v.trim()) ? (v.length > 500 ? 'Keep the image address to 500 characters or fewer.' : undefined)
    : 'Link the image with an address that starts with https://, or a path on this site such as /img/runner.svg.'),
};

function ProductForm({ product, onDone }: { product?: Product; onDone: () => void }) {
  const [values, setValues] = useState<ProductValues>({
    sku: product?.sku ?? '', name: product?.name ?? '', description: product?.description ?? '', imageUrl: product?.imageUrl ?? '',
  });
  const [problem, setProblem] = useState<Problem>();
  const [create, creating] = useCreateProductMutation();
  const [update, updating] = useUpdateProductMutation();
  const check = useValidation(values, PRODUCT_RULES);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    if (!check.attempt()) {
      focusFirstInvalid(form.current);
      return;
    }
    const body = { ...values, imageUrl: values.imageUrl.trim() || null };
    try {
      if (product) await update({ id: product.id, body }).unwrap();
      else await create(body).unwrap();
      onDone();
    } catch (err) {
      const p = err as Problem;
      const fields = serverFieldErrors<ProductValues>(p, PRODUCT_LABELS);
      if (Object.keys(fields).length) check.fromServer(fields);
      else setProblem(p);
    }
  }
  const set = (name: keyof ProductValues) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  const field = (name: keyof ProductValues, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={PRODUCT_LABELS[name]} value={values[name]} onChange={set(name)} onBlur={() => check.touch(name)} error={check.errors[name]} {...extra} />
  );
  return (
    <form ref={form} onSubmit={submit} noValidate className="card grid gap-3 sm:grid-cols-2" aria-label={product ? `Edit product ${product.sku}` : 'New product'}>
      {check.submitted && <div className="sm:col-span-2"><ErrorSummary count={check.count} /></div>}
      {field('sku')}
      {field('name')}
      {field('description')}
      {field('imageUrl', { hint: 'https://… or /img/…; shown on the sale page and in orders.', inputMode: 'url' })}
      {problem && <p role="alert" className="notice-danger sm:col-span-2">{problem.status === 0 ? 'We could not reach the server; nothing was saved.' : problem.detail ?? problem.title}</p>}
      <div className="flex flex-wrap gap-2 sm:col-span-2">
        <button className="btn-primary" type="submit" disabled={creating.isLoading || updating.isLoading}>{product ? 'Save product' : 'Create product'}</button>
        <button className="btn-secondary" type="button" onClick={onDone}>Close</button>
      </div>
    </form>
  );
}

export function AdminHome() {
  const products = useProductsQuery();
  const sales = useSalesQuery(undefined, { pollingInterval: 5000 });
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [cancel] = useCancelSaleMutation();
  const [arm] = useArmSaleMutation();
  const [actionProblem, setActionProblem] = useState<Problem>();

  if (products.error) return <ProblemScreen problem={products.error} onRetry={products.refetch} />;
  return (
    <div className="space-y-8">
      <section aria-labelledby="sales-heading" className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 id="sales-heading" className="mr-auto text-2xl font-bold">Sales</h1>
          <Link to="/admin/venues" className="btn-secondary">Venues and seated sales</Link>
          <Link to="/admin/sales/new" className="btn-primary">New sale</Link>
        </div>
        {actionProblem && <p role="alert" className="notice-danger">{actionProblem.status === 0 ? 'We could not reach the server; nothing changed.' : actionProblem.detail ?? actionProblem.title}</p>}
        {sales.error && (
          <p role="alert" className="notice-danger" data-testid="sales-error">
            We could not load the sales ({asProblem(sales.error).status ? `the server answered ${asProblem(sales.error).status}` : 'no answer'}); we keep trying every 5 seconds.
            {' '}<button type="button" className="link" onClick={() => sales.refetch()}>Try again now</button>
          </p>
        )}
        {sales.isLoading && <p className="text-muted">Loading sales…</p>}
        {sales.data && sales.data.length === 0 && <p className="text-muted">No sales yet. Create the first one.</p>}
        {/* A table on a wide screen, a list of cards on a phone: same rows, same order, nothing off-screen. */}
        <table className="admin-table block w-full text-left text-sm md:table md:table-fixed">
          <thead className="hidden md:table-header-group">
            <tr className="border-b border-line"><th className="w-[38%] p-2">Sale</th><th className="p-2">Status</th><th className="p-2">Opens</th><th className="p-2">Left</th><th className="w-[26%] p-2">Actions</th></tr>
          </thead>
          <tbody className="block space-y-3 md:table-row-group md:space-y-0">
            {sales.data?.map((s) => (
              <tr key={s.id} className="card block md:table-row md:rounded-none md:border-0 md:border-b md:bg-transparent md:p-0 md:shadow-none" data-testid={`admin-sale-${s.id}`}>
                <td className="block md:table-cell md:p-2"><Link className="link break-words [overflow-wrap:anywhere]" to={`/admin/sales/${s.id}`}>{s.title}</Link><div className="text-muted">{formatMoney(s.price.amountMinor, s.price.currency)}</div></td>
                <td className="mt-2 block md:mt-0 md:table-cell md:p-2"><StatusBadge status={s.status} /></td>
                <td className="block md:table-cell md:p-2"><span className="md:hidden text-muted">Opens </span>{formatDateTime(s.opensAt)}</td>
                <td className="block tabular md:table-cell md:p-2"><span className="md:hidden text-muted">Left </span>{s.unitsLeft} / {s.stock}</td>
                <td className="mt-2 block md:mt-0 md:table-cell md:p-2">
                  <div className="flex flex-wrap gap-x-3 gap-y-1">
                    <Link className="link" to={`/admin/sales/${s.id}`}>Dashboard</Link>
                    <Link className="link" to={`/admin/sales/${s.id}/edit`}>Edit</Link>
                    {(s.status === 'UPCOMING' || s.status === 'LIVE') && <button type="button" className="link" onClick={() => arm(s.id).unwrap().catch(setActionProblem)}>Arm</button>}
                    {s.status !== 'CANCELLED' && s.status !== 'ENDED' && (
                      <button type="button" className="link" onClick={() => {
                        if (window.confirm(`Cancel "${s.title}"? Shoppers can no longer buy.`)) cancel(s.id).unwrap().catch(setActionProblem);
                      }}>Cancel</button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="products-heading" className="space-y-3">
        <div className="flex items-center gap-3">
          <h2 id="products-heading" className="mr-auto text-2xl font-bold">Products</h2>
          <button type="button" className="btn-primary" onClick={() => setEditing('new')}>New product</button>
        </div>
        {editing && <ProductForm key={editing === 'new' ? 'new' : editing.id} product={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />}
        <ul className="grid gap-2 sm:grid-cols-2">
          {products.data?.map((p) => (
            <li key={p.id} className="card flex min-w-0 items-center gap-3">
              <ProductImage src={p.imageUrl} alt="" size="thumb" />
              <div className="min-w-0 flex-1"><div className="font-semibold break-words [overflow-wrap:anywhere]">{p.name}</div><div className="text-sm text-muted [overflow-wrap:anywhere]">{p.sku} · id {p.id}</div></div>
              <button type="button" className="btn-secondary" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>Edit</button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
