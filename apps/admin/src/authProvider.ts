import { TRPCClientError } from '@trpc/client';
import type { AuthProvider } from 'react-admin';
import type { Api } from './api';

const STAFF_ROLES = new Set(['ops', 'finance', 'admin']);
const STAFF_ONLY = 'The back office is for staff. Customers sign in on the portal.';

/**
 * Back office sign-in over the API's session cookie: the server keeps the session, so nothing
 * is stored in the browser. Only staff get in; the role is react-admin's permissions.
 */
export function createAuthProvider(api: Api): AuthProvider {
  const staffUser = async () => {
    const user = await api.auth.me.query();
    if (!STAFF_ROLES.has(user.role)) throw new Error(STAFF_ONLY);
    return user;
  };
  return {
    async login({ email, password }: { email: string; password: string }) {
      const user = await api.auth.signIn.mutate({ email, password });
      if (!STAFF_ROLES.has(user.role)) {
        await api.auth.signOut.mutate();
        throw new Error(STAFF_ONLY);
      }
    },
    async logout() {
      await api.auth.signOut.mutate();
    },
    async checkAuth() {
      await staffUser();
    },
    async checkError(error: unknown) {
      // 401: the session ended, so sign in again. 403 is a role refusal: stay, and show it.
      if (isSignedOut(error)) throw error;
    },
    async getIdentity() {
      const user = await staffUser();
      return { id: user.id, fullName: user.name ?? user.email };
    },
    async getPermissions() {
      // Signed out is no role rather than an error, which would sign out again and send a visitor of
      // the forgotten-password pages back to the sign-in form; checkAuth keeps the rest closed.
      try {
        return (await staffUser()).role;
      } catch (error) {
        if (isSignedOut(error)) return null;
        throw error;
      }
    },
  };
}

function isSignedOut(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { httpStatus?: number } | undefined)?.httpStatus === 401;
}
