import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Started as root, the embedded PostgreSQL runs as a `postgres` OS user of its own, which owns
 * nothing on the way to its programs (in node_modules) or its data: each folder above them must
 * let other users pass (o+x). Under /root (mode 700) they do not, and initdb fails with EACCES.
 */
export class PostgresUserCannotEnter extends Error {
  constructor(readonly folder: string) {
    super(
      [
        `The embedded PostgreSQL cannot start: Handover was started as root, so PostgreSQL runs as the "postgres" user,`,
        `and that user cannot enter ${folder}, where PostgreSQL's programs or data are.`,
        'Do one of these, then start again:',
        '  - put the checkout in a folder every user can enter (e.g. /srv/handover or /opt/handover);',
        `  - let other users pass through the folder: chmod o+x ${folder};`,
        '  - start Handover as a user other than root;',
        '  - or set DATABASE_URL to a PostgreSQL of your own.',
      ].join('\n'),
    );
    this.name = 'PostgresUserCannotEnter';
  }
}

/** The first folder on the way to any of `paths` that other users cannot pass through, or null. */
export function folderOthersCannotEnter(paths: string[]): string | null {
  for (const path of paths) {
    const folders: string[] = [];
    for (let folder = resolve(path); ; folder = dirname(folder)) {
      folders.unshift(folder);
      if (dirname(folder) === folder) break;
    }
    for (const folder of folders) {
      let mode: number;
      try {
        mode = statSync(folder).mode;
      } catch {
        break; // Not made yet: everything below it is made by this process.
      }
      if ((mode & 0o001) === 0) return folder;
    }
  }
  return null;
}
