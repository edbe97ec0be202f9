import { Page } from '../Page.js';
import { Lockouts } from './Lockouts.js';

/** The admin's security page: each concern is a self-contained section. */
export function SecurityPage() {
  return (
    <Page title="Security">
      <Lockouts />
    </Page>
  );
}
