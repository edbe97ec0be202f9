// The worker side of PasswordJudge: rates passwords with the shared policy, one message at a time.
import { parentPort } from 'node:worker_threads';
import { evaluatePassword } from './policy.js';
import type { JudgeReply, JudgeRequest } from './judge.js';

parentPort!.on('message', (request: JudgeRequest) => {
  evaluatePassword(request.password, request.context).then(
    (verdict) => parentPort!.postMessage({ id: request.id, verdict } satisfies JudgeReply),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: String(error) } satisfies JudgeReply),
  );
});
