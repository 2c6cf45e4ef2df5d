import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { formatMoney } from '../lib/format';
import { neighbour, seatDescription, type SeatModel, type Step } from './seatLayout';
import { FREE, HELD, SOLD, type SeatState } from './seatState';

/** Area colours, in order (the price legend says which is which); all readable on light and dark. */
export const AREA_COLOURS = ['#2563eb', '#7c3aed', '#0e7490', '#a16207', '#be185d', '#15803d', '#c2410c', '#4338ca'];
const areaColour = (i: number) => AREA_COLOURS[i % AREA_COLOURS.length];

interface View { scale: number; tx: number; ty: number }
const KEYS: Record<string, Step> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down', Home: 'home', End: 'end' };
const MAX_ZOOM = 40;

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/**
 * The venue drawn on one canvas: one path per colour (each area's free seats, held, sold, the
 * shopper's own), so 10,000 seats are a handful of fill calls and no DOM per seat. The keyboard and
 * screen readers use one real button that stands on the focused seat and is labelled with it
 * ("Stalls, row 2, seat 5, £40.00, free"); arrow keys move it, Enter or Space selects.
 */
export function SeatMap({ model, state, onToggle, canSelect }: {
  model: SeatModel; state: SeatState; onToggle: (position: number) => void; canSelect: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [view, setView] = useState<View | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const viewRef = useRef<View | null>(null);
  viewRef.current = view;
  const drawn = useRef(false);

  const fit = useCallback((width: number, height: number): View => {
    const pad = 16;
    const w = model.width + model.pitch;
    const h = model.height + model.pitch;
    const scale = Math.max(0.05, Math.min((width - 2 * pad) / w, (height - 2 * pad) / h));
    return { scale, tx: (width - w * scale) / 2 + (model.pitch / 2) * scale, ty: (height - h * scale) / 2 + (model.pitch / 2) * scale };
  }, [model]);

  // The box's size decides the canvas's (in device pixels) and the first, fitted view.
  useLayoutEffect(() => {
    const el = box.current!;
    const measure = () => {
      const next = { width: el.clientWidth, height: el.clientHeight };
      setSize((s) => (s.width === next.width && s.height === next.height ? s : next));
      setView((v) => v ?? fit(next.width, next.height));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [fit]);

  const toScreen = (p: number, v: View) => ({
    x: (model.layout.seats.x[p] - model.minX) * v.scale + v.tx,
    y: (model.layout.seats.y[p] - model.minY) * v.scale + v.ty,
  });

  // Drawing: every state change or view change, once per animation frame at most.
  useEffect(() => {
    const c = canvas.current;
    if (!c || !view || size.width === 0) return;
    const frame = requestAnimationFrame(() => {
      const started = performance.now();
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== Math.round(size.width * dpr)) c.width = Math.round(size.width * dpr);
      if (c.height !== Math.round(size.height * dpr)) c.height = Math.round(size.height * dpr);
      const ctx = c.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, size.width, size.height);
      const { x, y } = model.layout.seats;
      const r = Math.max(0.75, model.pitch * view.scale * 0.4);
      const round = r >= 3;
      const paths = model.layout.areas.map(() => new Path2D());
      const held = new Path2D();
      const sold = new Path2D();
      const mine = new Path2D();
      const selected = new Set(state.selected);
      for (let p = 0; p < model.count; p++) {
        const sx = (x[p] - model.minX) * view.scale + view.tx;
        const sy = (y[p] - model.minY) * view.scale + view.ty;
        if (sx < -r || sy < -r || sx > size.width + r || sy > size.height + r) continue;
        const s = state.states[p];
        const path = selected.has(p) ? mine : s === FREE ? paths[model.areaOf[p]] : s === HELD ? held : sold;
        if (round) {
          path.moveTo(sx + r, sy);
          path.arc(sx, sy, r, 0, 2 * Math.PI);
        } else path.rect(sx - r, sy - r, 2 * r, 2 * r);
      }
      paths.forEach((path, i) => {
        ctx.fillStyle = areaColour(i);
        ctx.fill(path);
      });
      // Taken seats: sold solid grey, held a grey ring (someone may still give it back).
      ctx.fillStyle = cssVar('--line');
      ctx.fill(sold);
      ctx.strokeStyle = cssVar('--muted');
      ctx.lineWidth = Math.max(1, r * 0.35);
      ctx.stroke(held);
      ctx.fillStyle = cssVar('--brand');
      ctx.fill(mine);
      ctx.strokeStyle = cssVar('--ink');
      ctx.lineWidth = Math.max(1, r * 0.3);
      ctx.stroke(mine);
      performance.measure('seat-map-draw', { start: started, end: performance.now() });
      if (!drawn.current) {
        drawn.current = true;
        performance.mark('seat-map-first-draw');
        c.dataset.drawn = 'true';
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [model, state, view, size]);

  // Zoom around a point of the box (the pointer, or the centre for the buttons).
  const zoom = useCallback((factor: number, cx?: number, cy?: number) => {
    setView((v) => {
      if (!v) return v;
      const min = fit(size.width, size.height).scale * 0.8;
      const scale = Math.min(min * MAX_ZOOM, Math.max(min, v.scale * factor));
      const px = cx ?? size.width / 2;
      const py = cy ?? size.height / 2;
      const k = scale / v.scale;
      return { scale, tx: px - (px - v.tx) * k, ty: py - (py - v.ty) * k };
    });
  }, [fit, size]);

  useEffect(() => {
    const c = canvas.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = c.getBoundingClientRect();
      zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, [zoom]);

  // Pointers: a tap selects, a drag pans, two fingers pinch.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ moved: boolean; distance: number }>({ moved: false, distance: 0 });
  const local = (e: PointerEvent) => {
    const rect = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const spread = () => {
    const [a, b] = [...pointers.current.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };
  const onPointerDown = (e: PointerEvent) => {
    canvas.current!.setPointerCapture?.(e.pointerId);
    pointers.current.set(e.pointerId, local(e));
    gesture.current = { moved: pointers.current.size > 1, distance: spread() };
  };
  const onPointerMove = (e: PointerEvent) => {
    const last = pointers.current.get(e.pointerId);
    if (!last) return;
    const now = local(e);
    pointers.current.set(e.pointerId, now);
    if (pointers.current.size === 2) {
      const d = spread();
      const [a, b] = [...pointers.current.values()];
      if (gesture.current.distance > 0) zoom(d / gesture.current.distance, (a.x + b.x) / 2, (a.y + b.y) / 2);
      gesture.current.distance = d;
      return;
    }
    const dx = now.x - last.x, dy = now.y - last.y;
    if (!gesture.current.moved && Math.hypot(dx, dy) < 3) return;
    gesture.current.moved = true;
    setView((v) => (v ? { ...v, tx: v.tx + dx, ty: v.ty + dy } : v));
  };
  const onPointerUp = (e: PointerEvent) => {
    const was = pointers.current.get(e.pointerId);
    pointers.current.delete(e.pointerId);
    if (!was || gesture.current.moved || !view) return;
    const hit = seatAt(local(e), view);
    if (hit !== null) {
      setFocused(hit);
      if (canSelect) onToggle(hit);
    }
  };

  const seatAt = (point: { x: number; y: number }, v: View): number | null => {
    const r = Math.max(6, model.pitch * v.scale * 0.6);
    let best: number | null = null;
    let bestD = r * r;
    for (let p = 0; p < model.count; p++) {
      const s = toScreen(p, v);
      const d = (s.x - point.x) ** 2 + (s.y - point.y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = p;
      }
    }
    return best;
  };

  // The focused seat stays on screen: pan to it when a key moves it out of view.
  const reveal = (p: number) => {
    setView((v) => {
      if (!v) return v;
      const s = toScreen(p, v);
      const margin = 24;
      let { tx, ty } = v;
      if (s.x < margin || s.x > size.width - margin) tx += size.width / 2 - s.x;
      if (s.y < margin || s.y > size.height - margin) ty += size.height / 2 - s.y;
      return tx === v.tx && ty === v.ty ? v : { ...v, tx, ty };
    });
  };

  const firstFree = () => {
    for (let p = 0; p < model.count; p++) if (state.states[p] === FREE) return p;
    return 0;
  };
  const current = focused ?? (state.selected[0] ?? firstFree());
  const onKeyDown = (e: KeyboardEvent) => {
    const step = KEYS[e.key];
    if (step) {
      e.preventDefault();
      const next = neighbour(model, current, step);
      setFocused(next);
      reveal(next);
    } else if (e.key === '+' || e.key === '=') {
      e.preventDefault();
      zoom(1.5);
    } else if (e.key === '-') {
      e.preventDefault();
      zoom(1 / 1.5);
    }
  };
  const seatState = state.states[current];
  const isSelected = state.selected.includes(current);
  const at = view ? toScreen(current, view) : { x: 0, y: 0 };
  const target = Math.max(24, model.pitch * (view?.scale ?? 1));
  const unavailable = !isSelected && seatState !== FREE;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <div className="flex gap-1" role="group" aria-label="Zoom">
          <button type="button" className="btn-secondary min-h-11 min-w-11 px-3" onClick={() => zoom(1.5)} aria-label="Zoom in">+</button>
          <button type="button" className="btn-secondary min-h-11 min-w-11 px-3" onClick={() => zoom(1 / 1.5)} aria-label="Zoom out">−</button>
          <button type="button" className="btn-secondary min-h-11 px-3" onClick={() => setView(fit(size.width, size.height))}>Fit</button>
        </div>
        <p id="seat-map-help" className="text-sm text-muted">Arrow keys move between seats, Enter or Space selects; drag to move, wheel or pinch to zoom.</p>
      </div>
      <div ref={box} className="relative h-[45vh] max-h-[560px] min-h-72 sm:h-[55vh] overflow-hidden rounded-xl border border-line bg-surface-2"
        role="group" aria-label={`Seat map, ${model.count} seats`} aria-describedby="seat-map-help" data-testid="seat-map">
        <canvas ref={canvas} aria-hidden="true" className="block h-full w-full cursor-pointer touch-none"
          style={{ width: size.width, height: size.height }}
          onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerCancel={onPointerUp} />
        {model.count > 0 && (
          <button ref={button} type="button" data-testid="seat-focus" data-position={current}
            className="absolute -translate-x-1/2 -translate-y-1/2 rounded-full bg-transparent opacity-0 focus-visible:opacity-100 focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-focus"
            style={{ left: at.x, top: at.y, width: target, height: target }}
            aria-label={seatDescription(model, current, seatState, isSelected)}
            aria-pressed={isSelected} aria-disabled={unavailable || !canSelect || undefined}
            onKeyDown={onKeyDown}
            onFocus={() => {
              if (focused === null) setFocused(current);
              reveal(current);
            }}
            onClick={() => {
              if (canSelect && !unavailable) onToggle(current);
            }} />
        )}
      </div>
      <Legend model={model} />
    </div>
  );
}

function Legend({ model }: { model: SeatModel }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Prices and seat states">
      {model.layout.areas.map((a, i) => (
        <li key={a.ordinal} className="flex items-center gap-1.5">
          <span className="inline-block h-3.5 w-3.5 rounded-full" style={{ background: areaColour(i) }} aria-hidden="true" />
          <span>{a.name}</span> <span className="tabular font-semibold">{formatMoney(a.priceMinor, model.layout.currency)}</span>
        </li>
      ))}
      <li className="flex items-center gap-1.5"><span className="inline-block h-3.5 w-3.5 rounded-full border-2 border-muted" aria-hidden="true" />Held</li>
      <li className="flex items-center gap-1.5"><span className="inline-block h-3.5 w-3.5 rounded-full bg-line" aria-hidden="true" />Sold</li>
      <li className="flex items-center gap-1.5"><span className="inline-block h-3.5 w-3.5 rounded-full border-2 border-ink bg-brand" aria-hidden="true" />Your selection</li>
    </ul>
  );
}

export { FREE, HELD, SOLD };
