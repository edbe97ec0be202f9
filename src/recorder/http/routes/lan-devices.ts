import { publicKeyFingerprint } from '../../../shared/key-fingerprint.js';
import { createPublicKey } from 'node:crypto';
import { ScanError } from '../../../discovery/scan.js';
import type { RecorderContext } from '../../context.js';
import { lanDeviceScanBody, lanDeviceScanSchema } from '../../api/lan-devices.js';
import { LAN_SCAN_MS, lanDeviceView } from '../../device/lan-devices.js';
import type { ApiApp } from '../api-app.js';
import { ApiError } from '../errors.js';
import { spendProbe } from '../probe-budget.js';

export function lanDeviceRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/lan-devices/scan',
    {
      config: { access: 'admin' },
      schema: {
        summary:
          "The Vigil recorders and cameras on the recorder's LAN, as `vigil discover` lists them: each answer checked against its device key, forged ones flagged; takes a few seconds",
        body: lanDeviceScanBody,
        response: { 200: lanDeviceScanSchema },
      },
    },
    async (request) => {
      // From the user's probe budget, as the WS-Discovery scan: each scan sends the LAN a probe a second.
      spendProbe(ctx.cameraProbeThrottle, request);
      try {
        const devices = await ctx.lanDevices.scan();
        const ownKeyFingerprint = publicKeyFingerprint(createPublicKey(ctx.vendorSupport.deviceKey));
        return { listenedSeconds: LAN_SCAN_MS / 1000, devices: devices.map((d) => lanDeviceView(d, ownKeyFingerprint)) };
      } catch (error) {
        if (!(error instanceof ScanError)) throw error;
        throw new ApiError(503, 'lan_scan_failed', 'The recorder could not send its discovery probes: it has no route to the LAN for multicast.');
      }
    },
  );
}
