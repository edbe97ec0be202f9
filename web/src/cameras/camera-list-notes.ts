// What the camera pages say about who sees which cameras: an empty list is either a recorder
// without cameras or a user an admin has given none, and the two call for different people.
import type { CameraAction } from '../../../src/recorder/api/permission-names.js';

const ASK_AN_ADMIN = 'An admin chooses which cameras each user may see: ask yours to give you some.';

/** The Cameras page's line where the list would be, when it is empty. */
export function emptyListMessage({ othersHidden, mayAdd }: { othersHidden: boolean; mayAdd: boolean }): string {
  if (othersHidden) return `No camera is shared with you yet. ${ASK_AN_ADMIN}`;
  return mayAdd ? 'No cameras yet. Add one below.' : 'No cameras yet. An admin adds them.';
}

/** Above a list that leaves some cameras out: why it may look short. */
export const PARTIAL_LIST_NOTE = 'You see the cameras an admin has shared with you; there are others.';

interface Listed {
  cameras: readonly { permissions: readonly CameraAction[] }[];
  othersHidden: boolean;
}

/**
 * For a page of the cameras with one right (Live, Playback) that has none to show: when the
 * recorder has cameras but this user may not do that with any, it says an admin has not shared
 * them; otherwise null, and the page says there is nothing to show.
 */
export function notSharedFor(list: Listed, action: CameraAction, what: string): string | null {
  const someExist = list.othersHidden || list.cameras.length > 0;
  return someExist && !list.cameras.some((c) => c.permissions.includes(action)) ? `No camera is shared with you for ${what}. ${ASK_AN_ADMIN}` : null;
}
