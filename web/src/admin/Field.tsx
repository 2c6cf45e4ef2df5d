/** A labelled input whose API validation error sits right under it and is announced with it. */
export function Field({ name, label, value, onChange, error, type = 'text', hint, children }: {
  name: string; label: string; value: string; onChange: (value: string) => void; error?: string; type?: string;
  hint?: string; children?: React.ReactNode;
}) {
  const describedBy = error ? `${name}-error` : hint ? `${name}-hint` : undefined;
  return (
    <div>
      <label htmlFor={name} className="field-label">{label}</label>
      {children ?? (
        <input id={name} name={name} type={type} className="field-input" value={value} onChange={(e) => onChange(e.target.value)}
          aria-invalid={!!error} aria-describedby={describedBy} />
      )}
      {error ? <p id={`${name}-error`} className="field-error">{label} {error}</p> : hint && <p id={`${name}-hint`} className="mt-1 text-sm text-slate-600">{hint}</p>}
    </div>
  );
}
