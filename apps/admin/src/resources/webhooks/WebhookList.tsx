import { CreateButton, Datagrid, DateField, FunctionField, List, TextField, TopToolbar } from 'react-admin';

interface EndpointRow {
  disabledAt: Date | null;
  failingSince: Date | null;
  events: string[];
  allOrders: boolean;
}

const state = (e: EndpointRow) => (e.disabledAt ? 'off' : e.failingSince ? 'failing' : 'on');

/** Every outbound webhook endpoint: whose, what it hears, whether it works. */
export function WebhookList() {
  return (
    <List
      exporter={false}
      actions={
        <TopToolbar>
          <CreateButton label="New endpoint" />
        </TopToolbar>
      }
    >
      <Datagrid bulkActionButtons={false} rowClick="show">
        <TextField source="url" sortable={false} />
        <TextField source="owner.email" label="Owner" sortable={false} />
        <FunctionField
          label="Hears"
          render={(e: EndpointRow) => (e.allOrders ? 'every order' : "the owner's orders")}
        />
        <FunctionField label="Events" render={(e: EndpointRow) => e.events.join(', ')} />
        <FunctionField label="State" render={state} />
        <DateField source="createdAt" label="Made" sortable={false} />
      </Datagrid>
    </List>
  );
}
