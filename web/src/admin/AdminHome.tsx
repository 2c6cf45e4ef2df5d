import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  useArmSaleMutation, useCancelSaleMutation, useCreateProductMutation, useProductsQuery, useSalesQuery,
  useUpdateProductMutation,
} from '../api/api';
import { fieldErrors, type Problem } from '../api/problem';
import type { Product } from '../api/types';
import { ProblemScreen } from '../components/ProblemScreen';
import { formatDateTime, formatMoney } from '../lib/format';
import { StatusBadge } from '../pages/Home';
import { Field } from './Field';

const PRODUCT_FIELDS = ['sku', 'name', 'description', 'imageUrl'] as const;

function ProductForm({ product, onDone }: { product?: Product; onDone: () => void }) {
  const [values, setValues] = useState({
    sku: product?.sku ?? '', name: product?.name ?? '', description: product?.description ?? '', imageUrl: product?.imageUrl ?? '',
  });
  const [problem, setProblem] = useState<Problem>();
  const [create, creating] = useCreateProductMutation();
  const [update, updating] = useUpdateProductMutation();
  const errors = fieldErrors(problem, PRODUCT_FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    const body = { ...values, imageUrl: values.imageUrl || null };
    try {
      if (product) await update({ id: product.id, body }).unwrap();
      else await create(body).unwrap();
      onDone();
    } catch (err) {
      setProblem(err as Problem);
    }
  }
  const set = (name: string) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  return (
    <form onSubmit={submit} noValidate className="card grid gap-3 sm:grid-cols-2" aria-label={product ? `Edit product ${product.sku}` : 'New product'}>
      <Field name="sku" label="SKU" value={values.sku} onChange={set('sku')} error={errors.sku} />
      <Field name="name" label="Name" value={values.name} onChange={set('name')} error={errors.name} />
      <Field name="description" label="Description" value={values.description} onChange={set('description')} error={errors.description} />
      <Field name="imageUrl" label="Image URL" value={values.imageUrl} onChange={set('imageUrl')} error={errors.imageUrl} />
      {problem && Object.keys(errors).length === 0 && <p role="alert" className="field-error sm:col-span-2">{problem.detail ?? problem.title}</p>}
      <div className="flex gap-2 sm:col-span-2">
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
          <Link to="/admin/sales/new" className="btn-primary">New sale</Link>
        </div>
        {actionProblem && <p role="alert" className="field-error">{actionProblem.detail ?? actionProblem.title}</p>}
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead><tr className="border-b"><th className="p-2">Sale</th><th className="p-2">Status</th><th className="p-2">Opens</th><th className="p-2">Left</th><th className="p-2">Actions</th></tr></thead>
            <tbody>
              {sales.data?.map((s) => (
                <tr key={s.id} className="border-b" data-testid={`admin-sale-${s.id}`}>
                  <td className="p-2"><Link className="font-semibold underline" to={`/admin/sales/${s.id}`}>{s.title}</Link><div className="text-slate-600">{formatMoney(s.price.amountMinor, s.price.currency)}</div></td>
                  <td className="p-2"><StatusBadge status={s.status} /></td>
                  <td className="p-2">{formatDateTime(s.opensAt)}</td>
                  <td className="p-2 tabular">{s.unitsLeft}/{s.stock}</td>
                  <td className="p-2">
                    <div className="flex flex-wrap gap-2">
                      <Link className="underline" to={`/admin/sales/${s.id}`}>Dashboard</Link>
                      <Link className="underline" to={`/admin/sales/${s.id}/edit`}>Edit</Link>
                      {(s.status === 'UPCOMING' || s.status === 'LIVE') && <button type="button" className="underline" onClick={() => arm(s.id).unwrap().catch(setActionProblem)}>Arm</button>}
                      {s.status !== 'CANCELLED' && s.status !== 'ENDED' && (
                        <button type="button" className="text-red-800 underline" onClick={() => {
                          if (window.confirm(`Cancel "${s.title}"? Shoppers can no longer buy.`)) cancel(s.id).unwrap().catch(setActionProblem);
                        }}>Cancel</button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="products-heading" className="space-y-3">
        <div className="flex items-center gap-3">
          <h2 id="products-heading" className="mr-auto text-2xl font-bold">Products</h2>
          <button type="button" className="btn-primary" onClick={() => setEditing('new')}>New product</button>
        </div>
        {editing && <ProductForm key={editing === 'new' ? 'new' : editing.id} product={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />}
        <ul className="grid gap-2 sm:grid-cols-2">
          {products.data?.map((p) => (
            <li key={p.id} className="card flex items-center gap-3">
              <div className="mr-auto"><div className="font-semibold">{p.name}</div><div className="text-sm text-slate-600">{p.sku} · id {p.id}</div></div>
              <button type="button" className="btn-secondary" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>Edit</button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
