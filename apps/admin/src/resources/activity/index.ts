import { ActivityList } from './ActivityList';

export const activity = { name: 'activity', list: ActivityList, options: { label: 'Activity log' } };
