import { KeyRingCreate } from './KeyRingCreate';
import { KeyRingList } from './KeyRingList';

export const keyRing = { name: 'key-ring', list: KeyRingList, options: { label: 'Key ring' } };

/** Admins also add secrets and signing keys. */
export const keyRingForAdmins = { ...keyRing, create: KeyRingCreate };
