import { Page } from '../shared/Page.js';
import { AllowListSection } from './security/AllowListSection.js';
import { CheckupSection } from './security/CheckupSection.js';
import { Lockouts } from './security/Lockouts.js';
import { MailSettingsSection } from './security/MailSettingsSection.js';
import { PasswordAgeSection } from './security/PasswordAgeSection.js';
import { ReadinessSection } from './recovery/RecoverySettingsPage.js';

/** Admins: what weakens this recorder, and the settings that fix it. Each section loads and saves on its own. */
export function SecurityPage() {
  return (
    <Page title="Security">
      <CheckupSection />
      <ReadinessSection />
      <Lockouts />
      <MailSettingsSection />
      <PasswordAgeSection />
      <AllowListSection />
    </Page>
  );
}
