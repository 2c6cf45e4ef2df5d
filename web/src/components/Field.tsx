/**
 * Leaving a field shows its error, except when the field is left for the form's submit button:
 * the error appearing there would push the button away between press and release and swallow the
 * click (the submit shows every error anyway).
 */
export function leaving(onBlur?: () => void) {
  return onBlur && ((e: React.FocusEvent) => {
    if ((e.relatedTarget as HTMLElement | null)?.getAttribute('type') !== 'submit') onBlur();
  });
}

/** A labelled input whose error (a whole sentence) sits right under it and is announced with it. */
export function Field({ name, label, value, onChange, onBlur, error, type = 'text', hint, inputMode, autoComplete, children }: {
  name: string; label: string; value: string; onChange: (value: string) => void; onBlur?: () => void; error?: string; type?: string;
  hint?: string; inputMode?: React.HTMLAttributes<HTMLInputElement>['inputMode']; autoComplete?: string; children?: React.ReactNode;
}) {
  const describedBy = [error && `${name}-error`, hint && `${name}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="min-w-0">
      <label htmlFor={name} className="field-label">{label}</label>
      {children ?? (
        <input id={name} name={name} type={type} className="field-input" value={value} onChange={(e) => onChange(e.target.value)}
          onBlur={leaving(onBlur)} inputMode={inputMode} autoComplete={autoComplete} aria-invalid={!!error} aria-describedby={describedBy} />
      )}
      {hint && <p id={`${name}-hint`} className="field-hint">{hint}</p>}
      {error && <p id={`${name}-error`} className="field-error">{error}</p>}
    </div>
  );
}

/** "Please fix the 2 fields marked below." once a submit found errors; announced politely. */
export function ErrorSummary({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <p role="alert" className="notice-danger text-sm font-medium">
      {count === 1 ? 'Please fix the field marked below.' : `Please fix the ${count} fields marked below.`}
    </p>
  );
}
