import { activationOf, type ProbeMatch } from '../../../media/onvif/ws-discovery.js';
import type { OnvifDeviceInformation } from '../../../media/onvif/onvif-client.js';

/** A camera found on the LAN, as the Cameras page lists it. */
export interface FoundCamera {
  /** WS-Discovery's endpoint, `urn:uuid:...`: the camera's name on the LAN, the same after a restart. */
  endpoint: string;
  /** Host (and port, if not 80) of its device service. */
  address: string;
  /** Its ONVIF device service, what adding it talks to. */
  deviceUrl: string;
  model: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  /** Vigil cameras say it in a scope; other makes do not, and are `unknown`. */
  activation: 'active' | 'inactive' | 'unknown';
}

export interface CameraDiscoveryDeps {
  scan(): Promise<ProbeMatch[]>;
  /** GetDeviceInformation without a login; undefined when the camera asks for one (the Vigil camera does). */
  information(deviceUrl: string): Promise<OnvifDeviceInformation | undefined>;
}

const HARDWARE_SCOPE = 'onvif://www.onvif.org/hardware/';

/** The model a camera gives in its scopes, for cameras that tell nothing without a login. */
function modelOfScopes(scopes: readonly string[]): string | null {
  const scope = scopes.find((s) => s.startsWith(HARDWARE_SCOPE));
  if (!scope) return null;
  try {
    return decodeURIComponent(scope.slice(HARDWARE_SCOPE.length));
  } catch {
    return null;
  }
}

/** Scans the LAN and asks each camera that answers who it is, all at once; sorted by address. */
export async function findCameras(deps: CameraDiscoveryDeps): Promise<FoundCamera[]> {
  const matches = await deps.scan();
  const found = await Promise.all(
    matches.map(async (match): Promise<FoundCamera> => {
      const deviceUrl = match.xaddrs[0]!;
      const info = await deps.information(deviceUrl);
      return {
        endpoint: match.endpoint,
        address: new URL(deviceUrl).host,
        deviceUrl,
        model: info?.model || modelOfScopes(match.scopes),
        manufacturer: info?.manufacturer || null,
        serialNumber: info?.serialNumber || null,
        firmwareVersion: info?.firmwareVersion || null,
        activation: activationOf(match.scopes),
      };
    }),
  );
  return found.sort((a, b) => a.address.localeCompare(b.address, 'en', { numeric: true }));
}
