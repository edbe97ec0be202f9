import type { OnvifCall, OnvifCamera, OnvifOperation } from './operation.js';
import { NAMESPACES, xmlText } from '../../media/onvif/soap.js';

/** The paths of the services; GetCapabilities and GetServices give them as full addresses. */
export const SERVICE_PATHS = {
  device: '/onvif/device_service',
  media: '/onvif/media_service',
  events: '/onvif/events_service',
} as const;

const address = (call: OnvifCall, path: string) => `http://${call.httpHost}${path}`;

function systemDateAndTime(now: number): string {
  const d = new Date(now);
  return (
    '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>' +
    '<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>' +
    `<tt:UTCDateTime><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime>` +
    '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>'
  );
}

function service(namespace: string, xaddr: string, major: number, minor: number): string {
  return (
    `<tds:Service><tds:Namespace>${namespace}</tds:Namespace><tds:XAddr>${xmlText(xaddr)}</tds:XAddr>` +
    `<tds:Version><tt:Major>${major}</tt:Major><tt:Minor>${minor}</tt:Minor></tds:Version></tds:Service>`
  );
}

function capabilities(call: OnvifCall): string {
  return (
    '<tds:GetCapabilitiesResponse><tds:Capabilities>' +
    `<tt:Device><tt:XAddr>${xmlText(address(call, SERVICE_PATHS.device))}</tt:XAddr>` +
    '<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2><tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration>' +
    '<tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token><tt:SAMLToken>false</tt:SAMLToken>' +
    '<tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>' +
    `<tt:Media><tt:XAddr>${xmlText(address(call, SERVICE_PATHS.media))}</tt:XAddr><tt:StreamingCapabilities>` +
    '<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>' +
    '</tt:StreamingCapabilities></tt:Media>' +
    `<tt:Events><tt:XAddr>${xmlText(address(call, SERVICE_PATHS.events))}</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>` +
    '<tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>' +
    '</tds:Capabilities></tds:GetCapabilitiesResponse>'
  );
}

/** The device service's operations (ONVIF Core), but for users (users.ts). */
export function deviceOperations(camera: OnvifCamera, reboot: (call: OnvifCall) => Promise<void>): Record<string, OnvifOperation> {
  return {
    // Open to anyone, as the Core specification allows: a client needs the camera's time to make a token it accepts.
    GetSystemDateAndTime: { required: 'anyone', handle: () => systemDateAndTime(camera.clock.now()) },
    GetDeviceInformation: {
      required: 'User',
      handle: () => {
        const device = camera.device();
        return (
          `<tds:GetDeviceInformationResponse><tds:Manufacturer>Vigil</tds:Manufacturer><tds:Model>${xmlText(device.model)}</tds:Model>` +
          `<tds:FirmwareVersion>${xmlText(camera.firmwareVersion)}</tds:FirmwareVersion><tds:SerialNumber>${xmlText(device.serial)}</tds:SerialNumber>` +
          `<tds:HardwareId>${xmlText(device.model)}</tds:HardwareId></tds:GetDeviceInformationResponse>`
        );
      },
    },
    GetCapabilities: { required: 'User', handle: capabilities },
    GetServices: {
      required: 'User',
      handle: (call) =>
        '<tds:GetServicesResponse>' +
        service(NAMESPACES.tds, address(call, SERVICE_PATHS.device), 2, 60) +
        service(NAMESPACES.trt, address(call, SERVICE_PATHS.media), 2, 60) +
        service(NAMESPACES.tev, address(call, SERVICE_PATHS.events), 2, 60) +
        '</tds:GetServicesResponse>',
    },
    SystemReboot: {
      required: 'Administrator',
      handle: async (call) => {
        await reboot(call);
        return '<tds:SystemRebootResponse><tds:Message>Rebooting: streams restart now</tds:Message></tds:SystemRebootResponse>';
      },
    },
  };
}
