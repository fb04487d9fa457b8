#!/usr/bin/env node
// The `handover` command: runs the TypeScript source through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
