import { Field } from './Field';

interface Props {
  value: string;
  onChange(value: string): void;
  errors?: string[];
}

export function EmailField(props: Props) {
  return <Field label="Email" type="email" autoComplete="email" required {...props} />;
}

/** A password being chosen: the rule is said before the customer types. */
export function NewPasswordField({ label = 'New password', ...props }: Props & { label?: string }) {
  return (
    <Field
      label={label}
      type="password"
      autoComplete="new-password"
      hint="At least 10 characters."
      required
      {...props}
    />
  );
}
