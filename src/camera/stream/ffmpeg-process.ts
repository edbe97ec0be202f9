import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** An ffmpeg child writing to stdout, with the end of its stderr kept to explain a failure. */
export class FfmpegProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private stderrTail = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-2000);
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code) => resolve(code));
    });
  }

  /** What ffmpeg said on stderr, for error messages. */
  get errorOutput(): string {
    return this.stderrTail.trim();
  }

  /** Stops ffmpeg and waits until it is gone. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    // ffmpeg finishes its output on SIGTERM; one that hangs doing so is not waited for long.
    const force = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.exited.catch(() => undefined);
    clearTimeout(force);
  }
}
