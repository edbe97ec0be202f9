/** The security core names a record's owner `accountId`; the recorder's tables name it `userId`. */
export function withAccountId<T extends { userId: number | null }>({ userId, ...rest }: T): Omit<T, 'userId'> & { accountId: T['userId'] } {
  return { ...rest, accountId: userId };
}

/** A core record as the recorder's table keeps it: its owner named `userId`. */
export type WithUserId<T extends { accountId: number | null }> = Omit<T, 'accountId'> & { userId: T['accountId'] };

export function withUserId<T extends { accountId: number | null }>({ accountId, ...rest }: T): WithUserId<T> {
  return { ...rest, userId: accountId };
}
