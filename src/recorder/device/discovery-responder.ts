import type { CloudBindingStore } from '../cloud/binding-store.js';
import type { Clock } from '../../shared/clock.js';
import type { ListenAddress } from '../../shared/listen-address.js';
import type { Logger } from '../../shared/logger.js';
import { startDiscoveryResponder, type DiscoveryResponder } from '../../discovery/responder.js';
import type { RecorderStore } from '../db/store.js';
import { configuredRecoveryMethods, type RecoverySetup } from '../recovery/configured-methods.js';
import type { VendorSupport } from '../recovery/vendor-support-keys.js';
import { apiEndpoint } from './discovery-facts.js';

export interface RecorderDiscoveryDeps extends Omit<RecoverySetup, 'vendorSupport' | 'cloudBinding'> {
  cloudBinding: Pick<CloudBindingStore, 'get' | 'deviceSecret'>;
  /** The device key is the vendor support path's signing key too. */
  vendorSupport: Pick<VendorSupport, 'vendorKey' | 'deviceKey'>;
  store: Pick<RecorderStore, 'getDevice'>;
  firmwareVersion: string;
  clock: Clock;
  logger: Logger;
}

/**
 * The recorder answers `vigil discover` with what `GET /api/v1/device` says, plus where its API
 * is and the fingerprints that pin it. Undefined when the responder cannot start (no multicast on
 * this host, the port taken without reuse): the recorder runs on without it, and says so.
 */
export async function startRecorderDiscovery(
  deps: RecorderDiscoveryDeps,
  options: { listen: ListenAddress; tlsCertPem: string | undefined; port?: number },
): Promise<DiscoveryResponder | undefined> {
  const endpoint = apiEndpoint(options.listen, options.listen.port, options.tlsCertPem);
  try {
    return await startDiscoveryResponder({
      deviceKey: deps.vendorSupport.deviceKey,
      clock: deps.clock,
      logger: deps.logger,
      port: options.port,
      facts: () => {
        const device = deps.store.getDevice()!;
        return {
          type: 'recorder',
          model: device.model,
          serial: device.serial,
          firmwareVersion: deps.firmwareVersion,
          ...endpoint,
          activated: device.activatedAt !== null,
          recoveryMethods: configuredRecoveryMethods(deps),
          cloudBound: deps.cloudBinding.get() !== undefined,
        };
      },
    });
  } catch (err) {
    deps.logger.warn({ event: 'discovery_unavailable', err }, 'LAN discovery is off: its socket could not be opened');
    return undefined;
  }
}
