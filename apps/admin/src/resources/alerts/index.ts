import { AlertList } from './AlertList';
import { AlertShow } from './AlertShow';

export const alerts = { name: 'alerts', list: AlertList, show: AlertShow };
