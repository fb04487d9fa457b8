import { parseEncryptionKeys, SecretBox } from '@handover/core';
import { testKeys } from './inProcessWorker';

/** The key ring the test workers are started with, for tests that encrypt as they do. */
export const testSecretBox = () => new SecretBox(parseEncryptionKeys(testKeys));
