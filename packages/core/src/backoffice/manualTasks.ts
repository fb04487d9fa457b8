import type { ManualTaskStatus } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conditions } from './sql';

export interface ManualTaskFilter {
  /** Open and in-progress tasks by default: the queue. */
  status?: ManualTaskStatus | 'outstanding';
  queue?: string;
}

export interface ManualTaskRow {
  id: string;
  recordId: string;
  orderId: string;
  orderCode: string;
  step: string;
  queue: string;
  title: string;
  instructions: string;
  status: ManualTaskStatus;
  slaHours: number | null;
  dueAt: Date | null;
  /** Past its SLA and not finished. */
  overdue: boolean;
  completedAt: Date | null;
  resolution: Record<string, unknown> | null;
  createdAt: Date;
}

interface Row {
  id: string;
  record_id: string;
  order_id: string;
  order_code: string;
  step: string;
  queue: string;
  title: string;
  instructions: string;
  status: ManualTaskStatus;
  sla_hours: number | null;
  due_at: Date | null;
  completed_at: Date | null;
  resolution: Record<string, unknown> | null;
  created_at: Date;
  total: string;
}

/** The manual task queue, most urgent (earliest due) first. */
export async function listManualTasks(
  em: EntityManager,
  filter: ManualTaskFilter,
  page: { limit: number; offset: number },
  now: Date,
): Promise<{ items: ManualTaskRow[]; total: number }> {
  const status = filter.status ?? 'outstanding';
  const where =
    status === 'outstanding'
      ? new Conditions().add(`t.status in ('open', 'in_progress')`)
      : new Conditions().add('t.status = ?', status);
  where.when(filter.queue, 't.queue = ?');
  const rows = await em.execute<Row[]>(
    `select t.id, t.record_id, r.order_id, o.order_code, t.step, t.queue, t.title, t.instructions, t.status,
            t.sla_hours, t.due_at, t.completed_at, t.resolution, t.created_at, count(*) over () as total
       from manual_tasks t
       join fulfillment_records r on r.id = t.record_id
       join orders o on o.id = r.order_id
       ${where.sql}
      order by t.due_at asc nulls last, t.created_at asc, t.id asc
      limit ? offset ?`,
    [...where.params, page.limit, page.offset],
  );
  const finished = (s: ManualTaskStatus) => s === 'done' || s === 'cancelled';
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => {
      const dueAt = row.due_at ? new Date(row.due_at) : null;
      return {
        id: row.id,
        recordId: row.record_id,
        orderId: row.order_id,
        orderCode: row.order_code,
        step: row.step,
        queue: row.queue,
        title: row.title,
        instructions: row.instructions,
        status: row.status,
        slaHours: row.sla_hours,
        dueAt,
        overdue: !finished(row.status) && dueAt !== null && dueAt < now,
        completedAt: row.completed_at ? new Date(row.completed_at) : null,
        resolution: row.resolution,
        createdAt: new Date(row.created_at),
      };
    }),
  };
}
