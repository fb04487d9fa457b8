import FactCheckIcon from '@mui/icons-material/FactCheck';
import { ReviewList } from './ReviewList';

export const reviews = { name: 'reviews', list: ReviewList, icon: FactCheckIcon, options: { label: 'Review' } };
