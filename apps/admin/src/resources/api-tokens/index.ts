import KeyIcon from '@mui/icons-material/Key';
import { ServiceTokenCreate } from './ServiceTokenCreate';
import { TokenList } from './TokenList';

export const apiTokens = {
  name: 'api-tokens',
  options: { label: 'API tokens' },
  icon: KeyIcon,
  list: TokenList,
  create: ServiceTokenCreate,
};
