import { Typography } from '@mui/material';
import { BooleanInput, NumberInput, SelectInput, TextInput } from 'react-admin';

interface JsonSchemaProperty {
  type?: string;
  enum?: string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

export interface ConfigJsonSchema {
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
}

const labelOf = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ');

function hint(property: JsonSchemaProperty, required: boolean): string {
  const parts = [property.description, required ? 'required' : 'optional'];
  if (property.minimum !== undefined) parts.push(`at least ${property.minimum}`);
  if (property.maximum !== undefined) parts.push(`at most ${property.maximum}`);
  if (property.default !== undefined) parts.push(`default ${JSON.stringify(property.default)}`);
  return parts.filter(Boolean).join('; ');
}

function ConfigField({ name, property, required }: { name: string; property: JsonSchemaProperty; required: boolean }) {
  const common = {
    source: `fulfillmentConfig.${name}`,
    label: labelOf(name),
    helperText: hint(property, required),
    fullWidth: true,
  };
  if (property.enum) return <SelectInput {...common} choices={property.enum.map((id) => ({ id, name: id }))} />;
  if (property.type === 'integer' || property.type === 'number') return <NumberInput {...common} />;
  if (property.type === 'boolean') return <BooleanInput {...common} />;
  if (property.type === 'string') return <TextInput {...common} multiline={name === 'instructions'} />;
  return (
    <TextInput
      {...common}
      helperText={`${common.helperText}; JSON`}
      format={(value: unknown) => (value === undefined ? '' : JSON.stringify(value))}
      parse={(text: string) => {
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      }}
    />
  );
}

/**
 * The chosen driver's fulfillment_config fields, rendered from its schema (JSON Schema from the
 * driver's zod schema), so a new driver needs no form of its own. Values live under
 * `fulfillmentConfig.<field>`, where the server's field errors land.
 */
export function DriverConfigInputs({ schema }: { schema: ConfigJsonSchema | undefined }) {
  const properties = Object.entries(schema?.properties ?? {});
  if (properties.length === 0)
    return <Typography color="text.secondary">This driver needs no configuration.</Typography>;
  const required = new Set(schema?.required ?? []);
  return (
    <>
      {properties.map(([name, property]) => (
        <ConfigField key={name} name={name} property={property} required={required.has(name)} />
      ))}
    </>
  );
}
