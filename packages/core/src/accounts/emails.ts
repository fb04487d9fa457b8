import type { User } from '@handover/db';
import type { QueuedMessage } from '../notifications/outbox';
import type { AccountSettings } from './settings';

// Seed 004: a welcome email on sign-up (support copied) and a password-reset email. The emails
// a stranger can make us send (sign-up) carry nothing they typed; the welcome email, sent once
// the owner of the address has confirmed it, carries only the name they gave there.

/** Sent on sign-up to an address with no confirmed account: the link finishes the account. */
export function verifyEmailMessage(user: User, token: string, settings: AccountSettings): QueuedMessage {
  const link = new URL('/verify-email', settings.portalUrl);
  link.searchParams.set('token', token);
  const hours = Math.round(settings.verifyTokenTtlMs / 3_600_000);
  return {
    channel: 'email',
    recipient: user.email,
    template: 'verify_email',
    subject: 'Confirm your email address for Handover',
    body: [
      'Hello,',
      '',
      'Someone (hopefully you) asked to create a Handover account with this email address.',
      'To confirm it is yours and choose your password, open:',
      '',
      `  ${link}`,
      '',
      `The link works once, for ${hours} hour${hours === 1 ? '' : 's'}. If you did not ask for it, ignore this email:`,
      'no account is opened with your address until it is confirmed.',
    ].join('\n'),
    // The link is a credential: the sender blanks the body once it is delivered or given up.
    data: { userId: user.id, sensitive: true },
  };
}

/** Sent on sign-up to an address that already has an account, instead of a second account. */
export function accountExistsEmail(user: User, settings: AccountSettings): QueuedMessage {
  return {
    channel: 'email',
    recipient: user.email,
    template: 'account_exists',
    subject: 'You already have a Handover account',
    body: [
      'Hello,',
      '',
      'Someone (hopefully you) tried to create a Handover account with this email address, which',
      'already has one. Sign in here:',
      '',
      `  ${new URL('/sign-in', settings.portalUrl)}`,
      '',
      'Forgot your password? Ask for a new one here:',
      '',
      `  ${new URL('/forgot-password', settings.portalUrl)}`,
      '',
      'If it was not you, ignore this email: nothing has changed.',
    ].join('\n'),
    data: { userId: user.id },
  };
}

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
      settings.supportEmail
        ? `If you did not create this account, write to ${settings.supportEmail} and we will close it.`
        : 'If you did not create this account, you can ignore this email: nothing is ordered or charged without you.',
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

/** An admin's invitation to join the staff: the link lets the invitee choose a password and sign in. */
export function staffInviteEmail(
  invite: { email: string; role: string; expiresAt: Date },
  invitedBy: User,
  token: string,
  settings: AccountSettings,
): QueuedMessage {
  const link = new URL(`#/accept-invite?token=${encodeURIComponent(token)}`, settings.adminUrl ?? settings.portalUrl);
  const inviter = invitedBy.name ? `${invitedBy.name} (${invitedBy.email})` : invitedBy.email;
  return {
    channel: 'email',
    recipient: invite.email,
    template: 'staff_invite',
    subject: 'You are invited to the Handover back office',
    body: [
      'Hello,',
      '',
      `${inviter} invited you to the Handover back office with the ${invite.role} role.`,
      'To accept, choose your password here:',
      '',
      `  ${link}`,
      '',
      `The link works once, until ${invite.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      'If you did not expect it, ignore this email: no account is opened until the link is used.',
    ].join('\n'),
    // The link is a credential: the sender blanks the body once it is delivered or given up.
    data: { sensitive: true },
  };
}
