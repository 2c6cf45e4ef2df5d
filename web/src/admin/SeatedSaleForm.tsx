import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useCreateSeatedSaleMutation, useProductsQuery, useVenueQuery } from '../api/api';
import type { Problem } from '../api/problem';
import type { SeatedSaleTerms, Venue } from '../api/types';
import { ErrorSummary, Field, leaving } from '../components/Field';
import { ProblemScreen } from '../components/ProblemScreen';
import { parseId } from '../lib/format';
import { focusFirstInvalid, serverFieldErrors, useValidation, type Rules } from '../lib/validation';
import { SALE_RULES, toLocalInput } from './SaleForm';

type Values = Record<string, string> & { queueEnabled?: never };
const toIso = (local: string) => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : null);
const priceField = (area: string) => `areaPrices.${area}`;

export function SeatedSaleFormPage() {
  const venueId = parseId(useParams().id);
  const venue = useVenueQuery(venueId ?? 0, { skip: !venueId });
  const notFound = !venueId || (venue.error && 'status' in venue.error && venue.error.status === 404);
  if (notFound) return <ProblemScreen problem={{ type: 'not-found', title: 'Venue not found', status: 404, detail: 'There is no venue at this address.' }} />;
  if (venue.error) return <ProblemScreen problem={venue.error} onRetry={venue.refetch} />;
  if (!venue.data) return <p>Loading…</p>;
  return <SeatedSaleForm venue={venue.data} />;
}

/** A seated sale on a venue: the terms of any sale, a price for every area and a seat limit per shopper. */
export function SeatedSaleForm({ venue }: { venue: Venue }) {
  const soon = Date.now() + 2 * 60_000;
  const [values, setValues] = useState<Values>(() => ({
    productId: '', title: '', currency: 'EUR', opensAt: toLocalInput(new Date(soon).toISOString()), closesAt: toLocalInput(new Date(soon + 3600_000).toISOString()),
    seatLimit: '4', holdSeconds: '300', queueCapacity: '100',
    ...Object.fromEntries(venue.areas.map((a) => [priceField(a.name), ''])),
  }) as Values);
  const [queueEnabled, setQueueEnabled] = useState(false);
  const rules = useMemo<Rules<Values>>(() => {
    const r: Rules<Values> = {
      productId: (v) => (v ? undefined : 'Choose a product.'),
      title: SALE_RULES.title as Rules<Values>['title'],
      currency: SALE_RULES.currency as Rules<Values>['currency'],
      opensAt: SALE_RULES.opensAt as Rules<Values>['opensAt'],
      closesAt: (v, all) => {
        if (!toIso(v)) return 'Choose when the sale closes.';
        const opens = toIso(all.opensAt);
        return opens && Date.parse(toIso(v)!) <= Date.parse(opens) ? 'The sale must close after it opens.' : undefined;
      },
      seatLimit: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 10 ? undefined : 'The seat limit per shopper must be a whole number from 1 to 10.'),
      holdSeconds: (v) => (v.trim() === '' || (/^\d+$/.test(v) && Number(v) >= 30 && Number(v) <= 86_400) ? undefined : 'The time to pay must be from 30 seconds to a day (86,400 seconds).'),
    };
    for (const a of venue.areas) {
      r[priceField(a.name)] = (v) => (/^\d+([.,]\d{1,2})?$/.test(v.trim()) ? undefined : `Enter the price of a seat in ${a.name}, such as 39.00.`);
    }
    return r;
  }, [venue]);
  const labels = useMemo(() => ({
    productId: 'Product', title: 'Title', currency: 'Currency', opensAt: 'Opens at', closesAt: 'Closes at', seatLimit: 'Seat limit per shopper',
    holdSeconds: 'Time to pay (seconds)', queueCapacity: 'Shoppers inside at once', areaPrices: 'Prices',
    ...Object.fromEntries(venue.areas.map((a) => [priceField(a.name), `Price in ${a.name}`])),
  }), [venue]);
  const check = useValidation(values, rules);
  const products = useProductsQuery();
  const [create, creating] = useCreateSeatedSaleMutation();
  const [problem, setProblem] = useState<Problem>();
  const navigate = useNavigate();
  const form = useRef<HTMLFormElement>(null);
  const set = (name: string) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  function terms(): SeatedSaleTerms {
    return {
      productId: Number(values.productId), title: values.title, currency: values.currency.trim().toUpperCase(),
      opensAt: toIso(values.opensAt)!, closesAt: toIso(values.closesAt)!, seatLimit: Number(values.seatLimit),
      areaPrices: Object.fromEntries(venue.areas.map((a) => [a.name, Math.round(Number(values[priceField(a.name)].replace(',', '.')) * 100)])),
      holdSeconds: values.holdSeconds.trim() ? Number(values.holdSeconds) : undefined,
      queueEnabled, queueCapacity: queueEnabled ? Number(values.queueCapacity) || 100 : undefined,
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    if (!check.attempt()) {
      focusFirstInvalid(form.current);
      return;
    }
    try {
      const sale = await create({ venueId: venue.id, body: terms() }).unwrap();
      navigate(`/admin/sales/${sale.id}`);
    } catch (err) {
      const p = err as Problem;
      // "areaPrices.Stalls" or "areaPrices" (a missing area): under that area's price, or the first.
      const mapped = { ...p, errors: p.errors?.map((fe) => (fe.field === 'perUserLimit' ? { ...fe, field: 'seatLimit' } : fe)) };
      const fields = serverFieldErrors<Values>(mapped, labels as Partial<Record<string, string>>);
      if (fields.areaPrices && venue.areas[0]) fields[priceField(venue.areas[0].name)] = fields.areaPrices;
      if (Object.keys(fields).length) {
        check.fromServer(fields);
        focusFirstInvalid(form.current);
      } else setProblem(p);
    }
  }

  const field = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={(labels as Record<string, string>)[name]} value={values[name] ?? ''} onChange={set(name)} onBlur={() => check.touch(name)} error={check.errors[name]} {...extra} />
  );

  return (
    <form ref={form} onSubmit={submit} noValidate className="card mx-auto max-w-2xl space-y-4" aria-labelledby="seated-form-title">
      <h1 id="seated-form-title" className="text-2xl font-bold [overflow-wrap:anywhere]">New seated sale at {venue.name}</h1>
      <p className="text-muted">{venue.seatCount.toLocaleString('en')} seats in {venue.areas.length === 1 ? 'one area' : `${venue.areas.length} areas`}: the stock is the seats, each area has its price.</p>
      {problem && <p role="alert" className="notice-danger">{problem.status === 0 ? 'We could not reach the server; nothing was saved. Try again.' : problem.detail ?? problem.title}</p>}
      {check.submitted && <ErrorSummary count={check.count} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="productId" label="Product" value={values.productId} onChange={set('productId')} error={check.errors.productId}>
          <select id="productId" className="field-input" value={values.productId} onChange={(e) => set('productId')(e.target.value)}
            onBlur={leaving(() => check.touch('productId'))} aria-invalid={!!check.errors.productId} aria-describedby={check.errors.productId ? 'productId-error' : undefined}>
            <option value="">Choose a product…</option>
            {products.data?.map((p) => <option key={p.id} value={p.id}>{p.name} ({p.sku})</option>)}
          </select>
        </Field>
        {field('title')}
        {field('currency')}
        {field('seatLimit', { type: 'number', hint: 'At most 10' })}
        {field('opensAt', { type: 'datetime-local' })}
        {field('closesAt', { type: 'datetime-local' })}
        {field('holdSeconds', { type: 'number', hint: 'Empty: 5 minutes' })}
      </div>
      <fieldset className="grid gap-3 rounded-xl border border-line p-3 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Price per seat</legend>
        {venue.areas.map((a) => <div key={a.id}>{field(priceField(a.name), { hint: `${a.seats} seats, for example 39.00`, inputMode: 'decimal' })}</div>)}
      </fieldset>
      <div className="flex items-start gap-2">
        <input id="queueEnabled" type="checkbox" className="mt-1 h-5 w-5 accent-brand" checked={queueEnabled} onChange={(e) => setQueueEnabled(e.target.checked)} aria-describedby="queueEnabled-hint" />
        <div>
          <label htmlFor="queueEnabled" className="field-label">Shoppers queue in the waiting room</label>
          <p id="queueEnabled-hint" className="text-sm text-muted">Without it, every signed-in shopper picks seats as soon as the sale opens.</p>
        </div>
      </div>
      {queueEnabled && field('queueCapacity', { type: 'number' })}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={creating.isLoading}>Create seated sale</button>
        <button type="button" className="btn-secondary" onClick={() => navigate('/admin/venues')}>Back</button>
      </div>
    </form>
  );
}
