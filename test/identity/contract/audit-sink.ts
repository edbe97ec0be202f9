import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendToChain, verifyAuditSink } from '../../../src/identity/audit/audit-sink.js';
import type { UnlinkedFields } from '../../../src/identity/audit/chain.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describeAuditSinkContract(makeAdapter: MakeAdapter): void {
  describe('audit sink', () => {
    const t = freshAdapterEachTest(makeAdapter);
    const key = randomBytes(32);

    const event = (overrides: Partial<UnlinkedFields> = {}): UnlinkedFields => ({
      at: t.clock.now(),
      type: 'auth.login',
      outcome: 'failure',
      actorUserId: null,
      actorUsername: 'mallory',
      sourceIp: '203.0.113.9',
      target: null,
      details: '{"reason":"invalid_credentials"}',
      ...overrides,
    });

    it('an empty log has no head and verifies', async () => {
      expect(await t.adapter.auditSink.head()).toBeUndefined();
      expect(await verifyAuditSink(key, t.adapter.auditSink)).toEqual({ checked: 0, problems: [] });
    });

    it('keeps entries exactly as appended, linked in order, with the head on the last one', async () => {
      const first = await appendToChain(t.adapter.auditSink, key, event({ actorUserId: t.adapter.accounts[0], actorUsername: 'alice', outcome: 'success' }));
      t.clock.advance(1);
      const second = await appendToChain(t.adapter.auditSink, key, event({ target: 'user:2' }));
      expect([first.seq, second.seq]).toEqual([1, 2]);
      expect(second.prevHash).toBe(first.hash);
      expect(await t.adapter.auditSink.readAfter(0, 10)).toEqual([first, second]);
      expect(await t.adapter.auditSink.head()).toEqual({ seq: 2, hash: second.hash });
      expect(await verifyAuditSink(key, t.adapter.auditSink)).toEqual({ checked: 2, problems: [] });
    });

    it('of 20 concurrent appends each gets its own place: one line, numbered 1 to 20, that verifies', async () => {
      const entries = await concurrently(20, () => appendToChain(t.adapter.auditSink, key, event()));
      expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await verifyAuditSink(key, t.adapter.auditSink, 7)).toEqual({ checked: 20, problems: [] });
    });

    it('reads a page after a given entry, oldest first', async () => {
      for (let i = 0; i < 5; i++) await appendToChain(t.adapter.auditSink, key, event());
      expect((await t.adapter.auditSink.readAfter(2, 2)).map((e) => e.seq)).toEqual([3, 4]);
      expect(await t.adapter.auditSink.readAfter(5, 2)).toEqual([]);
    });

    it('text that is not well-formed is stored as it was hashed, so the chain still verifies', async () => {
      const entry = await appendToChain(t.adapter.auditSink, key, event({ actorUsername: 'x\ud800y', details: '{"name":"\ud800"}' }));
      expect(entry.actorUsername).toBe('x\ufffdy');
      expect(await t.adapter.auditSink.readAfter(0, 1)).toEqual([entry]);
      expect(await verifyAuditSink(key, t.adapter.auditSink)).toEqual({ checked: 1, problems: [] });
    });

    it('a verification with another key finds every entry changed', async () => {
      await appendToChain(t.adapter.auditSink, key, event());
      await appendToChain(t.adapter.auditSink, key, event());
      const { problems } = await verifyAuditSink(randomBytes(32), t.adapter.auditSink);
      expect(problems).toEqual([{ kind: 'bad_hash', seq: 1 }, { kind: 'bad_hash', seq: 2 }]);
    });
  });
}
