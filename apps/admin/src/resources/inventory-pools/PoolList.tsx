import { Datagrid, FunctionField, List, NumberField, TextField } from 'react-admin';

interface Pool {
  counts: Record<'available' | 'reserved' | 'assigned' | 'depleted', number>;
  lowStock: boolean;
  lowStockThreshold: number;
}

export function PoolList() {
  return (
    <List exporter={false} pagination={false} title="Inventory pools">
      <Datagrid bulkActionButtons={false} rowClick="show">
        <TextField source="name" sortable={false} />
        <TextField source="slug" sortable={false} />
        <FunctionField label="Available" render={(p: Pool) => p.counts.available} />
        <FunctionField label="Reserved" render={(p: Pool) => p.counts.reserved} />
        <FunctionField label="Assigned" render={(p: Pool) => p.counts.assigned} />
        <FunctionField label="Depleted" render={(p: Pool) => p.counts.depleted} />
        <NumberField source="lowStockThreshold" label="Low-stock threshold" sortable={false} />
        <FunctionField
          label="Stock"
          render={(p: Pool) => (p.lowStock ? <strong style={{ color: '#c62828' }}>Low</strong> : 'OK')}
        />
      </Datagrid>
    </List>
  );
}
