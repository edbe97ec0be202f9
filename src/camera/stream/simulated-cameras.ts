import { urlFor } from '../../shared/listen-address.js';
import type { Logger } from '../../shared/logger.js';
import type { AuthScheme, RtspAccess } from './auth.js';
import { CameraPath } from './camera-path.js';
import { type ClipOptions, startClipSource } from './clip-source.js';
import { DEFAULT_ENCODING, type EncodingSpec } from './encoding.js';
import type { FrameSource } from './frame-source.js';
import { startPatternSource } from './pattern-source.js';
import { RtspServer } from './rtsp-server.js';

export type SourceKind = 'pattern' | 'clip';

export interface SimulatedCamerasOptions {
  /** Defaults to 127.0.0.1 and port 8554; port 0 picks a free one. */
  host?: string;
  port?: number;
  /** How many cameras, served at /cam1 ... /camN. */
  cameras?: number;
  /** `pattern`: live encoding with the wall clock burned in; `clip`: a pre-encoded clip in a loop (cheap). */
  source?: SourceKind;
  encoding?: Partial<EncodingSpec>;
  /** Credentials every camera asks for (Digest unless `scheme` says Basic). */
  username?: string;
  password?: string;
  authScheme?: AuthScheme;
  /** Or whoever decides who may watch (the Vigil camera's accounts), instead of one username and password. */
  access?: RtspAccess;
  /** Where the clip source keeps its encoded clips, and how long the clip is. */
  clip?: ClipOptions;
  sessionTimeoutSeconds?: number;
  log?: Logger;
}

export interface SimulatedCamera {
  name: string;
  /** Without credentials, even when the camera asks for them. */
  url: string;
}

export interface SimulatedCameras {
  cameras: SimulatedCamera[];
  /** Clients' sessions, on one camera or on all. */
  sessionCount(name?: string): number;
  /** The camera hangs: connections stay open but no more RTP or RTCP leaves. */
  freeze(name: string): void;
  unfreeze(name: string): void;
  /** The camera drops off the network: its clients are cut, and it answers 503 until `reconnect`. */
  disconnect(name: string): void;
  reconnect(name: string): void;
  /** Closes every connection and stops the encoder. */
  stop(): Promise<void>;
}

/**
 * Starts N simulated RTSP cameras on one server, all fed by one source: the video is encoded once
 * (live, or ahead of time for the clip) and served to every path and client.
 */
export async function startSimulatedCameras(options: SimulatedCamerasOptions = {}): Promise<SimulatedCameras> {
  const count = options.cameras ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error('cameras: a whole number from 1');
  if (Boolean(options.username) !== Boolean(options.password)) throw new Error('username and password go together');
  const encoding = { ...DEFAULT_ENCODING, ...options.encoding };
  const source: FrameSource =
    options.source === 'clip' ? await startClipSource(encoding, options.clip) : await startPatternSource(encoding, options.log);
  const paths = Array.from({ length: count }, (_, i) => new CameraPath(`cam${i + 1}`, source));
  const host = options.host ?? '127.0.0.1';
  let server: RtspServer;
  try {
    server = await RtspServer.start({
      host,
      port: options.port ?? 8554,
      paths,
      access: options.access,
      credentials:
        options.username && options.password
          ? { username: options.username, password: options.password, scheme: options.authScheme ?? 'digest' }
          : undefined,
      sessionTimeoutSeconds: options.sessionTimeoutSeconds,
      log: options.log,
    });
  } catch (error) {
    await source.stop();
    throw error;
  }
  // The address as a person types it (wildcards as the loopback address), with RTSP's scheme.
  const base = urlFor({ host, port: server.port }, false).replace(/^http:/, 'rtsp:');
  const pathNamed = (name: string): CameraPath => {
    const path = paths.find((candidate) => candidate.name === name);
    if (!path) throw new Error(`no simulated camera named ${name}`);
    return path;
  };
  return {
    cameras: paths.map((path) => ({ name: path.name, url: `${base}/${path.name}` })),
    sessionCount: (name) => server.sessionCount(name),
    freeze: (name) => {
      pathNamed(name).frozen = true;
    },
    unfreeze: (name) => {
      pathNamed(name).frozen = false;
    },
    disconnect: (name) => {
      const path = pathNamed(name);
      path.offline = true;
      server.disconnectClients(path);
    },
    reconnect: (name) => {
      pathNamed(name).offline = false;
    },
    stop: async () => {
      await server.close();
      for (const path of paths) path.close();
      await source.stop();
    },
  };
}
