import { useId } from 'react';

interface FieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  errors?: string[];
  type?: 'text' | 'email' | 'password' | 'tel' | 'url' | 'search' | 'number' | 'date';
  autoComplete?: string;
  hint?: string;
  required?: boolean;
  /** A text area of this many rows instead of a one-line input. */
  rows?: number;
  /** For `type="number"`. */
  min?: number;
  max?: number;
}

/** A labelled input with its hint and errors tied to it for screen readers. */
export function Field({
  label,
  value,
  onChange,
  errors = [],
  type = 'text',
  autoComplete,
  hint,
  required,
  rows,
  min,
  max,
}: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, errors.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {rows ? (
        <textarea
          id={id}
          rows={rows}
          value={value}
          required={required}
          aria-invalid={errors.length > 0}
          aria-describedby={described || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          id={id}
          type={type}
          value={value}
          autoComplete={autoComplete}
          required={required}
          min={min}
          max={max}
          inputMode={type === 'number' ? 'numeric' : undefined}
          aria-invalid={errors.length > 0}
          aria-describedby={described || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {errors.length > 0 ? (
        <p id={`${id}-error`} className="field-error">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}
