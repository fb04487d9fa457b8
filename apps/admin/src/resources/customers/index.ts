import PeopleIcon from '@mui/icons-material/People';
import { CustomerList } from './CustomerList';
import { CustomerShow } from './CustomerShow';

export const customers = { name: 'customers', list: CustomerList, show: CustomerShow, icon: PeopleIcon };
