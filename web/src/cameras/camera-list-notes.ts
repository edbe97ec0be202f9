// What the Cameras page says about who sees which cameras: an empty list is either a recorder
// without cameras or a user an admin has given none, and the two call for different people.

/** The line where the list would be, when it is empty. */
export function emptyListMessage({ othersHidden, mayAdd }: { othersHidden: boolean; mayAdd: boolean }): string {
  if (othersHidden) return 'No camera is shared with you yet. An admin chooses which cameras each user may see: ask yours to give you some.';
  return mayAdd ? 'No cameras yet. Add one below.' : 'No cameras yet. An admin adds them.';
}

/** Above a list that leaves some cameras out: why it may look short. */
export const PARTIAL_LIST_NOTE = 'You see the cameras an admin has shared with you; there are others.';
