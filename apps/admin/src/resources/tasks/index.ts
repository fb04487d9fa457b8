import { TaskList } from './TaskList';

export const tasks = { name: 'tasks', list: TaskList, options: { label: 'Manual tasks' } };
