// Schema version 13: per-camera denials, and grants that go with their camera. Released: never edit, add a new version.
export default /* sql */ `
-- 'allow' adds the action to what the role gives (every row before this version is one, and keeps
-- meaning what it meant); 'deny' takes it away on one camera, whatever gives it. A denial names one
-- camera ('camera:<id>'): never the device, never 'camera:*' (a smaller role is for that). The
-- primary key stays (user_id, resource, action): an action is allowed or denied on a camera, not both.
ALTER TABLE user_permissions ADD COLUMN effect TEXT NOT NULL DEFAULT 'allow'
  CHECK (effect = 'allow' OR (effect = 'deny' AND resource GLOB 'camera:[1-9]*'));

-- A removed camera's grants and denials go with it. Camera ids are never reused (AUTOINCREMENT),
-- so a left-over row could not reach another camera; it would only be noise in the user's list.
CREATE TRIGGER cameras_removed_permissions_go AFTER DELETE ON cameras
BEGIN
  DELETE FROM user_permissions WHERE resource = 'camera:' || OLD.id;
END;
`;
