import { CreateButton, Datagrid, DateField, FunctionField, List, TextField, TopToolbar } from 'react-admin';
import { may, useRole } from '../../permissions';

function Actions() {
  const role = useRole();
  return <TopToolbar>{may.administer(role) && <CreateButton label="Add to the key ring" />}</TopToolbar>;
}

interface Entry {
  kind: string;
  hint: string | null;
  publicKey: string | null;
}

/**
 * The key ring (seed 003 `credentials_ref`): what products name by reference. Shared secrets
 * show their last characters only; a signing key shows its public key, for the vendor's software.
 */
export function KeyRingList() {
  return (
    <List actions={<Actions />} exporter={false} pagination={false} empty={false}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="ref" label="Reference" sortable={false} />
        <FunctionField
          label="Kind"
          render={(entry: Entry) => (entry.kind === 'hmac_secret' ? 'Shared secret' : 'Licence signing key (Ed25519)')}
        />
        <FunctionField
          label="Shows"
          render={(entry: Entry) =>
            entry.publicKey ? (
              <pre style={{ fontSize: '0.75rem', margin: 0 }}>{entry.publicKey}</pre>
            ) : (
              `…${entry.hint ?? ''}`
            )
          }
        />
        <TextField source="description" sortable={false} />
        <DateField source="updatedAt" label="Changed" showTime sortable={false} />
      </Datagrid>
    </List>
  );
}
