import { LogList } from './LogList';
import { LogShow } from './LogShow';

export const fulfillmentLogs = { name: 'fulfillment-logs', list: LogList, show: LogShow, options: { label: 'Logs' } };
