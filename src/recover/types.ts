import type { ResetGrant } from '../recorder/api/recovery.js';
import type { Terminal } from '../shared/terminal.js';

export type { ResetGrant };

/** The terminal the wizard talks through; tests drive a real one with tmux. */
export type { Terminal };

/** JSON over HTTP(S) to the recorder, answering status and body; never throws for HTTP errors. */
export interface RecorderClient {
  readonly url: string;
  get(path: string): Promise<ApiAnswer>;
  post(path: string, body: unknown): Promise<ApiAnswer>;
}

export interface ApiAnswer {
  status: number;
  // The recorder answers JSON objects: a success body as its route's schema says (read it with
  // successBody), or an error.
  body: Record<string, unknown>;
  retryAfter: number | null;
}

/** One recovery path in the terminal: gathers the evidence and answers the grant, or null to go back. */
export interface TerminalRecoveryStep {
  title: string;
  needs: string;
  run(terminal: Terminal, client: RecorderClient, username: string): Promise<ResetGrant | null>;
}
