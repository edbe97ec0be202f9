-- An account's own security events (GET /api/v1/account/audit) are those it did (actor_user_id,
-- indexed already) and those done to it (target 'user:<id>' or 'account:<id>'): read newest first.
CREATE INDEX audit_by_target ON audit_log (target, seq);
