import type { User } from '@handover/db';
import type { QueuedMessage } from '../notifications/outbox';
import type { AccountSettings } from './settings';

// Seed 004: a welcome email on sign-up (support copied) and a password-reset email.

export function welcomeEmail(user: User, settings: AccountSettings): QueuedMessage {
  const greeting = user.name ? `Hello ${user.name},` : 'Hello,';
  return {
    channel: 'email',
    recipient: user.email,
    template: 'welcome',
    subject: 'Welcome to Handover',
    body: [
      greeting,
      '',
      'Your Handover account is ready. Every order you place shows up in your dashboard, with each',
      'step of its delivery as it happens:',
      '',
      `  ${new URL('/orders', settings.portalUrl)}`,
      '',
      'If you did not create this account, reply to this email and we will close it.',
    ].join('\n'),
    data: { userId: user.id, ...(settings.supportEmail ? { cc: [settings.supportEmail] } : {}) },
  };
}

export function passwordResetEmail(user: User, token: string, settings: AccountSettings): QueuedMessage {
  const link = resetLink(user, token, settings);
  const minutes = Math.round(settings.resetTokenTtlMs / 60_000);
  return {
    channel: 'email',
    recipient: user.email,
    template: 'password_reset',
    subject: 'Reset your Handover password',
    body: [
      'Someone (hopefully you) asked to reset the password of your Handover account.',
      '',
      'Choose a new password here:',
      '',
      `  ${link}`,
      '',
      `The link works once, for ${minutes} minutes. If you did not ask for it, ignore this email:`,
      'your password stays as it is.',
    ].join('\n'),
    // The link is a credential: the sender blanks the body once it is delivered or given up.
    data: { userId: user.id, sensitive: true },
  };
}

/** Customers choose their new password on the portal, staff in the back office (a hash route there). */
function resetLink(user: User, token: string, settings: AccountSettings): URL {
  if (user.role !== 'customer' && settings.adminUrl) {
    return new URL(`#/reset-password?token=${encodeURIComponent(token)}`, settings.adminUrl);
  }
  const link = new URL('/reset-password', settings.portalUrl);
  link.searchParams.set('token', token);
  return link;
}
