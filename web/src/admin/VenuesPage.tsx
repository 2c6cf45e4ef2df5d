import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCreateVenueMutation, useVenuesQuery } from '../api/api';
import type { Problem } from '../api/problem';
import type { VenueInput } from '../api/types';
import { ErrorSummary, Field } from '../components/Field';
import { focusFirstInvalid, serverFieldErrors, useValidation, type Rules } from '../lib/validation';

const MAX_SEATS = 100_000;
type Values = Record<string, string>;

const whole = (v: string, min: number, max: number) => v.trim() !== '' && Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max;

/** A pasted or uploaded seat list: a whole venue ({name, areas, seats}) or just the seats ([{area,row,seat,x,y}]). */
export function parseSeatList(text: string): { seats: NonNullable<VenueInput['seats']>; areas?: VenueInput['areas']; name?: string } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `The seat list is not valid JSON: ${(e as Error).message}.`;
  }
  const venue = Array.isArray(parsed) ? { seats: parsed } : (parsed as { seats?: unknown; areas?: unknown; name?: unknown });
  if (!venue || !Array.isArray(venue.seats)) return 'Paste a JSON list of seats, such as [{"area":"Floor","row":"A","seat":"1","x":10,"y":0}].';
  if (venue.seats.length === 0 || venue.seats.length > MAX_SEATS) return `A venue has 1 to ${MAX_SEATS.toLocaleString('en')} seats; this list has ${venue.seats.length}.`;
  return { seats: venue.seats as NonNullable<VenueInput['seats']>, areas: Array.isArray(venue.areas) ? venue.areas as VenueInput['areas'] : undefined, name: typeof venue.name === 'string' ? venue.name : undefined };
}

/** "seats[0].area" and its message as a sentence about that seat: "Seat 1 of the list: its area must name one of the areas…". */
export function listError(field: string, message: string): string {
  const seat = /^seats\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (seat) return `Seat ${Number(seat[1]) + 1} of the list: ${seat[2] ? `its ${seat[2]} ` : ''}${message}`;
  const area = /^areas\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (area) return `Area ${Number(area[1]) + 1}: ${area[2] ? `its ${area[2]} ` : ''}${message}`;
  return `The seat list: ${message}`;
}

function rulesFor(areaCount: number, mode: 'grid' | 'list'): Rules<Values> {
  const rules: Rules<Values> = {
    name: (v) => (v.trim() === '' ? 'Give the venue a name.' : v.length > 200 ? 'Keep the name to 200 characters or fewer.' : undefined),
  };
  if (mode === 'list') {
    rules.seats = (v) => {
      if (v.trim() === '') return 'Paste or upload the seat list (JSON).';
      const parsed = parseSeatList(v);
      return typeof parsed === 'string' ? parsed : undefined;
    };
    return rules;
  }
  let total = 0;
  for (let i = 0; i < areaCount; i++) {
    rules[`areas[${i}].name`] = (v, all) => {
      if (v.trim() === '') return 'Name the area, such as Stalls.';
      for (let j = 0; j < i; j++) if (all[`areas[${j}].name`]?.trim() === v.trim()) return `“${v}” is already the name of area ${j + 1}.`;
      return undefined;
    };
    rules[`areas[${i}].rows`] = (v) => (whole(v, 1, 1000) ? undefined : 'Rows must be a whole number from 1 to 1,000.');
    rules[`areas[${i}].seatsPerRow`] = (v, all) => {
      if (!whole(v, 1, 1000)) return 'Seats per row must be a whole number from 1 to 1,000.';
      total = 0;
      for (let j = 0; j < areaCount; j++) total += Number(all[`areas[${j}].rows`]) * Number(all[`areas[${j}].seatsPerRow`]) || 0;
      return i === areaCount - 1 && total > MAX_SEATS ? `The venue would have ${total.toLocaleString('en')} seats; at most ${MAX_SEATS.toLocaleString('en')}.` : undefined;
    };
  }
  return rules;
}

function labelsFor(areaCount: number): Record<string, string> {
  const labels: Record<string, string> = { name: 'Venue name', seats: 'Seat list', areas: 'Areas' };
  for (let i = 0; i < areaCount; i++) {
    labels[`areas[${i}].name`] = 'Area name';
    labels[`areas[${i}].rows`] = 'Rows';
    labels[`areas[${i}].seatsPerRow`] = 'Seats per row';
    labels[`areas[${i}].priceTier`] = 'Price tier';
    labels[`areas[${i}]`] = 'Area';
  }
  return labels;
}

/** A venue from a grid (areas of rows × seats per row) or from a seat list, checked field by field. */
export function VenueForm({ onCreated }: { onCreated: (id: number) => void }) {
  const [mode, setMode] = useState<'grid' | 'list'>('grid');
  const [areaCount, setAreaCount] = useState(2);
  const [values, setValues] = useState<Values>({
    name: '', seats: '', 'areas[0].name': 'Stalls', 'areas[0].rows': '10', 'areas[0].seatsPerRow': '20', 'areas[1].name': 'Circle', 'areas[1].rows': '5', 'areas[1].seatsPerRow': '20',
  });
  const rules = useMemo(() => rulesFor(areaCount, mode), [areaCount, mode]);
  const check = useValidation(values, rules);
  const [problem, setProblem] = useState<Problem>();
  const [create, creating] = useCreateVenueMutation();
  const form = useRef<HTMLFormElement>(null);
  const set = (name: string) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  function body(): VenueInput {
    if (mode === 'list') {
      const parsed = parseSeatList(values.seats) as Exclude<ReturnType<typeof parseSeatList>, string>;
      const areas = parsed.areas ?? [...new Set(parsed.seats.map((s) => s.area))].map((name) => ({ name }));
      return { name: values.name, areas, seats: parsed.seats };
    }
    return {
      name: values.name,
      areas: Array.from({ length: areaCount }, (_, i) => ({ name: values[`areas[${i}].name`].trim(), rows: Number(values[`areas[${i}].rows`]), seatsPerRow: Number(values[`areas[${i}].seatsPerRow`]) })),
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
      const venue = await create(body()).unwrap();
      onCreated(venue.id);
    } catch (err) {
      const p = err as Problem;
      const labels = labelsFor(areaCount);
      // A seat list's errors name a seat ("seats[12].x"): they belong under the list, with the seat named.
      const mapped: Problem = mode === 'list' ? { ...p, errors: p.errors?.map((fe) => (fe.field.startsWith('seats') || fe.field.startsWith('areas') ? { field: 'seats', message: listError(fe.field, fe.message) } : fe)) } : p;
      const fields = serverFieldErrors<Values>(mapped, labels);
      if (Object.keys(fields).length) {
        check.fromServer(fields);
        focusFirstInvalid(form.current);
      } else setProblem(p);
    }
  }

  const field = (name: string, label: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={label} value={values[name] ?? ''} onChange={set(name)} onBlur={() => check.touch(name)} error={check.errors[name]} {...extra} />
  );
  const upload = async (file: File | undefined) => {
    if (file) set('seats')(await file.text());
  };

  return (
    <form ref={form} onSubmit={submit} noValidate className="card space-y-4" aria-labelledby="venue-form-title">
      <h2 id="venue-form-title" className="text-xl font-bold">New venue</h2>
      {problem && <p role="alert" className="notice-danger">{problem.status === 0 ? 'We could not reach the server; nothing was saved. Try again.' : problem.detail ?? problem.title}</p>}
      {check.submitted && <ErrorSummary count={check.count} />}
      {field('name', 'Venue name')}
      <fieldset className="space-y-1">
        <legend className="field-label">Seats from</legend>
        <div className="flex flex-wrap gap-4">
          <label className="flex items-center gap-2"><input type="radio" name="venue-mode" className="h-5 w-5 accent-brand" checked={mode === 'grid'} onChange={() => setMode('grid')} /> A grid of areas</label>
          <label className="flex items-center gap-2"><input type="radio" name="venue-mode" className="h-5 w-5 accent-brand" checked={mode === 'list'} onChange={() => setMode('list')} /> A seat list (JSON)</label>
        </div>
      </fieldset>
      {mode === 'grid' ? (
        <div className="space-y-3">
          {Array.from({ length: areaCount }, (_, i) => (
            <fieldset key={i} className="grid gap-3 rounded-xl border border-line p-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-start" data-testid={`venue-area-${i}`}>
              <legend className="px-1 text-sm text-muted">Area {i + 1}</legend>
              {field(`areas[${i}].name`, 'Area name')}
              {field(`areas[${i}].rows`, 'Rows', { type: 'number' })}
              {field(`areas[${i}].seatsPerRow`, 'Seats per row', { type: 'number' })}
              {areaCount > 1 && i === areaCount - 1 && (
                <button type="button" className="btn-secondary sm:mt-6" onClick={() => setAreaCount((n) => n - 1)}>Remove area {i + 1}</button>
              )}
            </fieldset>
          ))}
          <button type="button" className="btn-secondary" onClick={() => {
            setValues((v) => ({ ...v, [`areas[${areaCount}].name`]: '', [`areas[${areaCount}].rows`]: '5', [`areas[${areaCount}].seatsPerRow`]: '20' }));
            setAreaCount((n) => n + 1);
          }}>Add an area</button>
        </div>
      ) : (
        <div className="space-y-2">
          <div className="min-w-0">
            <label htmlFor="seats" className="field-label">Seat list</label>
            <textarea id="seats" className="field-input h-40 font-mono text-sm" value={values.seats} onChange={(e) => set('seats')(e.target.value)}
              onBlur={() => check.touch('seats')} aria-invalid={!!check.errors.seats} aria-describedby={`seats-hint${check.errors.seats ? ' seats-error' : ''}`} />
            <p id="seats-hint" className="field-hint">{'[{"area":"Floor","row":"A","seat":"1","x":10,"y":0}, …], or a whole venue {"areas":[…],"seats":[…]}; rows in front first.'}</p>
            {check.errors.seats && <p id="seats-error" className="field-error">{check.errors.seats}</p>}
          </div>
          <label className="field-label" htmlFor="seats-file">Or upload a JSON file</label>
          <input id="seats-file" type="file" accept="application/json,.json" className="block text-sm" onChange={(e) => void upload(e.target.files?.[0])} />
        </div>
      )}
      <button type="submit" className="btn-primary" disabled={creating.isLoading}>Create venue</button>
    </form>
  );
}

export function VenuesPage() {
  const venues = useVenuesQuery();
  const [created, setCreated] = useState<number>();
  return (
    <div className="space-y-6">
      <section aria-labelledby="venues-heading" className="space-y-3">
        <div className="flex flex-wrap items-center gap-2">
          <h1 id="venues-heading" className="mr-auto text-2xl font-bold">Venues</h1>
          <Link to="/admin" className="btn-secondary">Sales</Link>
        </div>
        {created && <p role="status" className="notice-ok">Venue created. Put a seated sale on it below.</p>}
        {venues.error ? <p role="alert" className="notice-danger">The venues could not be read; we keep trying.</p>
          : !venues.data ? <p className="text-muted">Loading…</p>
            : venues.data.length === 0 ? <p className="text-muted">No venues yet.</p> : (
              <ul className="grid gap-2 sm:grid-cols-2">
                {venues.data.map((v) => (
                  <li key={v.id} className="card space-y-1" data-testid={`venue-${v.id}`}>
                    <h2 className="font-bold [overflow-wrap:anywhere]">{v.name}</h2>
                    <p className="text-sm text-muted">{v.seatCount.toLocaleString('en')} seats{v.areas.length > 0 && ` · ${v.areas.map((a) => `${a.name} (${a.seats})`).join(', ')}`}</p>
                    <Link className="link" to={`/admin/venues/${v.id}/sales/new`} aria-label={`New seated sale at ${v.name}`}>New seated sale</Link>
                  </li>
                ))}
              </ul>
            )}
      </section>
      <VenueForm onCreated={setCreated} />
    </div>
  );
}
