// The whole recording path: a camera added through the API is recorded by the daemon, in-process,
// from the simulated RTSP camera to fragmented MP4 segments that ffmpeg decodes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedCameras, type SimulatedCameras } from '../../../../src/camera/stream/simulated-cameras.js';
import { activate, loggedInAdmin } from '../../../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../../../helpers/recorder.js';
import { until } from '../../../helpers/until.js';
import { decodeErrors, probeVideo } from '../../../helpers/clips.js';


describe('recording a camera', () => {
  let rec: TestRecorder;
  let cameras: SimulatedCameras;
  beforeEach(async () => {
    cameras = await startSimulatedCameras({ port: 0, source: 'clip' });
    rec = await startTestRecorder();
    await activate(rec);
  });
  afterEach(async () => {
    await rec.close();
    await cameras.stop();
  });

  it('a camera added through the API is recorded to segments that decode without errors', async () => {
    const admin = await loggedInAdmin(rec);
    const added = await admin.post('/api/v1/cameras', { name: 'Gate', url: cameras.cameras[0]!.url, transport: 'tcp' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const id: number = added.body.camera.id;

    const recorded = () => rec.running.ctx.recordings.listAll().filter((r) => r.cameraId === id);
    // The camera streams in real time; the writer brings the index up to date every few clock seconds.
    await until(() => recorded().some((r) => r.frames >= 75), '3 s of recorded video', 30_000, { afterEachPoll: () => rec.clock.advance(0.1) });
    expect((await admin.get(`/api/v1/cameras/${id}`)).body.status.state).toBe('online');

    // Stop recording as the daemon does at shutdown: the open segment ends, its row and file agree.
    await rec.running.ctx.cameraSupervisors.stopAll();
    await rec.running.ctx.recording.closeAll();
    const [segment] = recorded();
    const file = `${rec.running.ctx.dataPaths.footage}/${segment!.path}`;
    const probed = probeVideo(file);
    expect(probed).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(Number(probed.nb_read_frames)).toBe(segment!.frames);
    expect(decodeErrors(file)).toBe('');
  });
});
