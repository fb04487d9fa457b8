import { RecordList } from './RecordList';
import { RecordShow } from './RecordShow';

export const fulfillmentRecords = {
  name: 'fulfillment-records',
  list: RecordList,
  show: RecordShow,
  options: { label: 'Fulfillment' },
};
