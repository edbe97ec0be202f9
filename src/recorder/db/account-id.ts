/** The security core names a record's owner `accountId`; the recorder's tables name it `userId`. */
export function withAccountId<T extends { userId: number | null }>({ userId, ...rest }: T): Omit<T, 'userId'> & { accountId: T['userId'] } {
  return { ...rest, accountId: userId };
}

export function withUserId<T extends { accountId: number | null }>({ accountId, ...rest }: T): Omit<T, 'accountId'> & { userId: T['accountId'] } {
  return { ...rest, userId: accountId };
}
