import { MailboxJobList } from './MailboxJobList';

export const mailboxJobs = { name: 'mailbox-jobs', list: MailboxJobList, options: { label: 'Mailbox jobs' } };
