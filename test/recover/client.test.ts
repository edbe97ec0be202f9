import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/recorder/device/data-dir.js';
import { createRecorderClient, RecorderUnreachableError } from '../../src/recover/client.js';
import { runVigil, startVigilDaemon } from '../helpers/cli.js';

// `vigil recover` on another machine reaches the recorder over HTTPS with its self-signed
// certificate: trusted with --ca, refused without it.
describe('the terminal wizard reaches an HTTPS recorder', () => {
  let root: string;
  let stop: () => void;
  let url: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vigil-recover-tls-'));
    expect(runVigil(['recorder', 'init', '--data', join(root, 'data')]).status).toBe(0);
    // Any address but loopback makes the recorder serve HTTPS; the certificate names 127.0.0.1.
    const daemon = await startVigilDaemon(['recorder', '--data', join(root, 'data'), '--listen', '0.0.0.0:0']);
    stop = () => daemon.child.kill();
    url = daemon.url.replace('0.0.0.0', '127.0.0.1');
  });
  afterAll(() => {
    stop?.();
    rmSync(root, { recursive: true, force: true });
  });

  it('with --ca (the recorder certificate) it talks to the recorder', async () => {
    expect(url).toMatch(/^https:/);
    const client = createRecorderClient(url, { ca: readFileSync(dataPaths(join(root, 'data')).tlsCert, 'utf8') });
    const answer = await client.get('/api/v1/device');
    expect(answer.status).toBe(200);
    expect(answer.body.activated).toBe(false);
  });

  it('without it the self-signed certificate is refused, with a clear error', async () => {
    const client = createRecorderClient(url);
    await expect(client.get('/api/v1/device')).rejects.toThrow(RecorderUnreachableError);
    await expect(client.get('/api/v1/device')).rejects.toThrow(/Cannot reach https:\/\/127\.0\.0\.1:\d+: self.signed certificate/);
  });
});
