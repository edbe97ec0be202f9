import type { Database } from 'better-sqlite3';

export interface SecurityQuestionsRecord {
  userId: number;
  questions: string[];
  /** argon2 hashes of the normalised answers, in the order of the questions. */
  answerHashes: string[];
  updatedAt: number;
}

export interface SecurityQuestionsStore {
  get(userId: number): SecurityQuestionsRecord | undefined;
  /** Replaces the account's questions and answers. */
  put(record: SecurityQuestionsRecord): void;
  /** Whether any admin account has questions set up. */
  anyAdminHasQuestions(): boolean;
}

export function createSecurityQuestionsStore(db: Database): SecurityQuestionsStore {
  const q = {
    get: db.prepare<[number], { user_id: number; questions: string; answer_hashes: string; updated_at: number }>(
      'SELECT user_id, questions, answer_hashes, updated_at FROM security_questions WHERE user_id = ?',
    ),
    put: db.prepare(
      `INSERT INTO security_questions (user_id, questions, answer_hashes, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET questions = excluded.questions, answer_hashes = excluded.answer_hashes, updated_at = excluded.updated_at`,
    ),
    anyAdmin: db.prepare<[], { found: number }>(
      "SELECT 1 AS found FROM security_questions q JOIN users u ON u.id = q.user_id WHERE u.role = 'admin' LIMIT 1",
    ),
  };
  return {
    get(userId) {
      const r = q.get.get(userId);
      return r && { userId: r.user_id, questions: JSON.parse(r.questions) as string[], answerHashes: JSON.parse(r.answer_hashes) as string[], updatedAt: r.updated_at };
    },
    put(record) {
      q.put.run(record.userId, JSON.stringify(record.questions), JSON.stringify(record.answerHashes), record.updatedAt);
    },
    anyAdminHasQuestions: () => q.anyAdmin.get() !== undefined,
  };
}
