import { SaveButton, Toolbar } from 'react-admin';

/** Products are switched off (inactive), never deleted: orders keep pointing at them. */
export function ProductToolbar() {
  return (
    <Toolbar>
      <SaveButton />
    </Toolbar>
  );
}
