import { Page } from '../shared/Page.js';
import { TwoFactorSettings } from '../shared/TwoFactorSettings.js';
import type { Account } from './api.js';
import { describeError } from './errors.js';
import { cloudTwoFactor } from './two-factor-api.js';

/** Two-step login for the cloud account: what the account reads says where it stands. */
export function TwoFactorPage({ account, reload }: { account: Account; reload: () => Promise<void> }) {
  const { methods, totp, recoveryCodesRemaining } = account.twoFactor;
  return (
    <Page title="Two-step login">
      <p>With two-step login, your password alone does not open your account: a login also needs your phone or a passkey.</p>
      <TwoFactorSettings
        api={cloudTwoFactor}
        status={{ enabled: methods.length > 0, totp, recoveryCodesRemaining }}
        reload={reload}
        username={account.email ?? account.phone ?? ''}
        passkeyHelp="Your browser keeps a passkey for this cloud's name: it works wherever you open the cloud by the same address."
        describeError={describeError}
      />
    </Page>
  );
}
