/**
 * Rates candidate passwords (the shared policy: zxcvbn and the common-password list) on a worker
 * thread that exists only while it is used.
 *
 * Why not on the main thread: zxcvbn's dictionaries cost about 25 MB of heap once loaded, which a
 * recorder would carry for months after one password change, and which every full garbage
 * collection would mark again while the recorder writes video; and scoring a long password takes
 * up to a few hundred milliseconds that would stall every camera's stream. The worker starts on
 * the first request (about 0.3 s, once) and ends after a minute without one, giving all of it back.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PasswordContext, PasswordVerdict } from './policy.js';
import { packageRoot } from '../../shared/package-info.js';

export type JudgePassword = (password: string, context?: PasswordContext) => Promise<PasswordVerdict>;

export interface JudgeRequest {
  id: number;
  password: string;
  context: PasswordContext | undefined;
}

export type JudgeReply = { id: number; verdict: PasswordVerdict } | { id: number; error: string };

/**
 * The built worker script. Tests run the recorder from src/ but always after a build, so the
 * compiled script is there for them too.
 */
const THREAD_SCRIPT = join(packageRoot(), 'dist', 'src', 'identity', 'passwords', 'judge-thread.js');
const IDLE_MS = 60_000;

interface Pending {
  resolve(verdict: PasswordVerdict): void;
  reject(error: Error): void;
}

export class PasswordJudge {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly options: { script?: string; idleMs?: number } = {}) {}

  readonly judge: JudgePassword = (password, context) => {
    if (this.#closed) return Promise.reject(new Error('the password judge is closed'));
    clearTimeout(this.#idleTimer);
    const worker = this.#running();
    const id = this.#nextId++;
    return new Promise<PasswordVerdict>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, context } satisfies JudgeRequest);
    });
  };

  /** Whether a worker thread exists now (for tests of its lifetime). */
  get threadRunning(): boolean {
    return this.#worker !== undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    await this.#stop(new Error('the recorder is shutting down'));
  }

  #running(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.options.script ?? THREAD_SCRIPT);
    worker.on('message', (reply: JudgeReply) => this.#answer(reply));
    // A crashed worker fails what it held; the next request starts a new one.
    worker.on('error', (error) => void this.#stop(error));
    worker.on('exit', () => {
      if (this.#worker === worker) void this.#stop(new Error('the password rating thread stopped'));
    });
    this.#worker = worker;
    return worker;
  }

  #answer(reply: JudgeReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if ('verdict' in reply) pending.resolve(reply.verdict);
    else pending.reject(new Error(`rating the password failed: ${reply.error}`));
    if (this.#pending.size === 0 && !this.#closed) {
      this.#idleTimer = setTimeout(() => void this.#stop(undefined), this.options.idleMs ?? IDLE_MS);
      this.#idleTimer.unref();
    }
  }

  async #stop(error: Error | undefined): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    for (const pending of this.#pending.values()) pending.reject(error ?? new Error('the password rating thread stopped'));
    this.#pending.clear();
    await worker?.terminate();
  }
}
