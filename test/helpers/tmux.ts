import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Loaded when the tmux server starts, so the pane stays after the program exits, even at once, to read its last words. */
function tmuxConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-tmux-')), 'tmux.conf');
  writeFileSync(file, 'set -g remain-on-exit on\nset -g history-limit 5000\n');
  return file;
}

/**
 * A real terminal for interactive programs: a detached tmux session on a private server. Tests
 * type into it and read the screen as a person would see it.
 */
export class TmuxTerminal {
  private constructor(
    private readonly server: string,
    private readonly session: string,
  ) {}

  static start(command: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): TmuxTerminal {
    const server = `vigil-test-${process.pid}-${randomBytes(4).toString('hex')}`;
    const terminal = new TmuxTerminal(server, 'main');
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    execFileSync('tmux', ['-L', server, '-f', tmuxConfig(), 'new-session', '-d', '-s', 'main', '-x', '160', '-y', '50', ...(options.cwd ? ['-c', options.cwd] : []), ...env,
      // tmux loses the exit status of a program that ends at once: a shell prints it instead.
      'sh', '-c', '"$@"; echo "[exited with status $?]"', 'sh', ...command]);
    return terminal;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.server, ...args], { encoding: 'utf8' });
  }

  /** What the screen shows now, scrollback included. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', this.session);
  }

  /** Waits until the screen shows `text` (output arrives asynchronously); fails with the screen if it never does. */
  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${String(text)}; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Types `text` and presses Enter. */
  typeLine(text: string): void {
    if (text !== '') this.tmux('send-keys', '-t', this.session, '-l', text);
    this.tmux('send-keys', '-t', this.session, 'Enter');
  }

  /** Picks a numbered choice by its label (waits until the menu shows it), so a test does not depend on the order offered. */
  async chooseLabel(label: string): Promise<void> {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const line = new RegExp(`^ *(\\d+)\\. ${escaped}`, 'm');
    this.typeLine(line.exec(await this.waitFor(line))![1]!);
  }

  /** The program's exit status once it has ended, or null while it runs. */
  exitStatus(): number | null {
    const match = /\[exited with status (\d+)\]/.exec(this.screen());
    return match ? Number(match[1]) : null;
  }

  async waitForExit(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.exitStatus();
      if (status !== null) return status;
      if (Date.now() > deadline) throw new Error(`the program did not end; the terminal shows:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
