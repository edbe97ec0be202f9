import { Notice } from '../../shared/ErrorAlert.js';
import { useLoaded } from '../security/useLoaded.js';
import { recoveryApi } from './recoveryApi.js';

/**
 * On an admin's home page until a strong recovery path is set up: right after activation this is
 * where the recovery key file is offered first.
 */
export function RecoveryNudge() {
  const { value: readiness } = useLoaded(recoveryApi.readiness);
  if (!readiness || readiness.level === 'ready') return null;
  return (
    <Notice>
      <span data-testid="recovery-nudge">
        If you forget your password, {readiness.level === 'none' ? 'nothing but the reset button and the label code' : 'only weak paths'} can get
        you back in. <a href="#/recovery">Download your recovery key file now</a> and keep it offline.
      </span>
    </Notice>
  );
}
