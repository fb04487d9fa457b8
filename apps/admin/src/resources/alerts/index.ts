import { AlertList } from './AlertList';

export const alerts = { name: 'alerts', list: AlertList };
