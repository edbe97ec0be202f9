import { child, textOf, xmlText } from '../../media/onvif/soap.js';
import { invalidArgument, type OnvifCall, type OnvifCamera, type OnvifOperation } from './operation.js';

/** One profile, one video source: the camera has one stream. */
export const PROFILE_TOKEN = 'profile1';
const SOURCE_TOKEN = 'videosource1';

function profile(camera: OnvifCamera): string {
  const { width, height, fps, bitrate, codec } = camera.encoding;
  // Media 1 knows H.264 only; an H.265 camera says so as many cameras do, outside the enumeration.
  const encoding = codec === 'h265' ? 'H265' : 'H264';
  return (
    `<trt:Profiles token="${PROFILE_TOKEN}" fixed="true"><tt:Name>main</tt:Name>` +
    `<tt:VideoSourceConfiguration token="videosourceconfig1"><tt:Name>video source</tt:Name><tt:UseCount>1</tt:UseCount>` +
    `<tt:SourceToken>${SOURCE_TOKEN}</tt:SourceToken><tt:Bounds x="0" y="0" width="${width}" height="${height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="videoencoder1"><tt:Name>main stream</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${encoding}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${width}</tt:Width><tt:Height>${height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>${fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${Math.round(bitrate / 1000)}</tt:BitrateLimit></tt:RateControl>` +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration></trt:Profiles>`
  );
}

function requireProfile(call: OnvifCall): void {
  if (textOf(child(call.request.body, 'ProfileToken')) !== PROFILE_TOKEN) throw invalidArgument('NoProfile', 'no such media profile');
}

const mediaUri = (uri: string) =>
  `<trt:MediaUri><tt:Uri>${xmlText(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
  '<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>';

/** The media service's operations (ONVIF Media, Profile S): what a recorder needs to find the stream. */
export function mediaOperations(camera: OnvifCamera): Record<string, OnvifOperation> {
  return {
    GetProfiles: { required: 'User', handle: () => `<trt:GetProfilesResponse>${profile(camera)}</trt:GetProfilesResponse>` },
    GetProfile: {
      required: 'User',
      handle: (call) => {
        requireProfile(call);
        return `<trt:GetProfileResponse>${profile(camera).replace(/^<trt:Profiles /, '<trt:Profile ').replace(/<\/trt:Profiles>$/, '</trt:Profile>')}</trt:GetProfileResponse>`;
      },
    },
    GetVideoSources: {
      required: 'User',
      handle: () =>
        `<trt:GetVideoSourcesResponse><trt:VideoSources token="${SOURCE_TOKEN}"><tt:Framerate>${camera.encoding.fps}</tt:Framerate>` +
        `<tt:Resolution><tt:Width>${camera.encoding.width}</tt:Width><tt:Height>${camera.encoding.height}</tt:Height></tt:Resolution>` +
        '</trt:VideoSources></trt:GetVideoSourcesResponse>',
    },
    GetStreamUri: {
      required: 'User',
      handle: (call) => {
        requireProfile(call);
        const protocol = textOf(child(child(child(call.request.body, 'StreamSetup'), 'Transport'), 'Protocol'));
        if (protocol === 'HTTP') throw invalidArgument('InvalidStreamSetup', 'RTSP over HTTP is not served: ask for RTSP, TCP or UDP');
        const host = call.host.includes(':') ? `[${call.host}]` : call.host;
        return `<trt:GetStreamUriResponse>${mediaUri(`rtsp://${host}:${camera.rtspPort}${camera.streamPath}`)}</trt:GetStreamUriResponse>`;
      },
    },
  };
}
