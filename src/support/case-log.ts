import Database from 'better-sqlite3';
import { SupportToolError } from './keys.js';

/** One signed response: who signed what, for whom. */
export interface SupportCase {
  caseId: string;
  agent: string;
  serial: string;
  model: string;
  username: string;
  /** SHA-256 of the request's nonce: identifies the request without keeping it. */
  nonceHash: string;
  requestHash: string;
  signedAt: string;
  expiresAt: string;
}

interface CaseRow {
  case_id: string;
  agent: string;
  serial: string;
  model: string;
  username: string;
  nonce_hash: string;
  request_hash: string;
  signed_at: string;
  expires_at: string;
}

/**
 * The support desk's record of every response it signed. A case id signs once, and a request is
 * signed once: a second response for the same thing would be a second key to the same recorder.
 */
export class CaseLog {
  readonly #db: Database.Database;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS cases (
      case_id       TEXT PRIMARY KEY,
      agent         TEXT NOT NULL,
      serial        TEXT NOT NULL,
      model         TEXT NOT NULL,
      username      TEXT NOT NULL,
      nonce_hash    TEXT NOT NULL UNIQUE,
      request_hash  TEXT NOT NULL,
      signed_at     TEXT NOT NULL,
      expires_at    TEXT NOT NULL
    )`);
  }

  /**
   * Records a case and runs `writeResponse` in the same transaction: the case is in the log if and
   * only if its response file was written.
   */
  record(supportCase: SupportCase, writeResponse: () => void): void {
    this.#db.transaction(() => {
      const sameCase = this.#find('case_id', supportCase.caseId);
      if (sameCase) {
        throw new SupportToolError(
          `Case ${sameCase.caseId} was signed already (${sameCase.signedAt}, by ${sameCase.agent}, recorder ${sameCase.serial}). A case signs once: use a new case id.`,
        );
      }
      const sameRequest = this.#find('nonce_hash', supportCase.nonceHash);
      if (sameRequest) {
        throw new SupportToolError(
          `This request was signed already as case ${sameRequest.caseId} (${sameRequest.signedAt}, by ${sameRequest.agent}). If that response was lost, ask the owner for a new request.`,
        );
      }
      this.#db
        .prepare(
          `INSERT INTO cases (case_id, agent, serial, model, username, nonce_hash, request_hash, signed_at, expires_at)
           VALUES (@caseId, @agent, @serial, @model, @username, @nonceHash, @requestHash, @signedAt, @expiresAt)`,
        )
        .run(supportCase);
      writeResponse();
    }).immediate(); // takes the write lock first: two agents signing at once cannot both pass the checks above
  }

  list(): SupportCase[] {
    return this.#db.prepare<[], CaseRow>('SELECT * FROM cases ORDER BY signed_at, case_id').all().map(fromRow);
  }

  close(): void {
    this.#db.close();
  }

  #find(column: 'case_id' | 'nonce_hash', value: string): SupportCase | undefined {
    const row = this.#db.prepare<[string], CaseRow>(`SELECT * FROM cases WHERE ${column} = ?`).get(value);
    return row && fromRow(row);
  }
}

function fromRow(r: CaseRow): SupportCase {
  return {
    caseId: r.case_id,
    agent: r.agent,
    serial: r.serial,
    model: r.model,
    username: r.username,
    nonceHash: r.nonce_hash,
    requestHash: r.request_hash,
    signedAt: r.signed_at,
    expiresAt: r.expires_at,
  };
}
