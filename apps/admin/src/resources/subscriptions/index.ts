import { SubscriptionList } from './SubscriptionList';

export const subscriptions = { name: 'subscriptions', list: SubscriptionList };
