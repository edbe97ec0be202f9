import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';

// The API's description is committed in docs/openapi.json: a change to a route schema that was not
// regenerated with `npm run openapi` (which reruns this file with -u) fails here, so the file the UI,
// clients and reviewers read never drifts from what the recorder serves.
describe('the OpenAPI document', () => {
  let rec: TestRecorder;
  beforeAll(async () => {
    rec = await startTestRecorder();
  });
  afterAll(() => rec.close());

  it('is the committed docs/openapi.json, byte for byte', async () => {
    const res = await new ApiClient(rec.url).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    await expect(`${JSON.stringify(res.body, null, 2)}\n`).toMatchFileSnapshot('../../docs/openapi.json');
  });
});
