import WebhookIcon from '@mui/icons-material/Webhook';
import { WebhookCreate } from './WebhookCreate';
import { WebhookList } from './WebhookList';
import { WebhookShow } from './WebhookShow';

export const webhooks = {
  name: 'webhooks',
  options: { label: 'Webhooks' },
  icon: WebhookIcon,
  list: WebhookList,
  show: WebhookShow,
  create: WebhookCreate,
};
