import type { Clock } from '../../shared/clock.js';
import { AccountChangeRefused, type AccountChange, type AccountStore } from '../accounts/account-store.js';
import { isUserLevel } from '../accounts/levels.js';
import type { CameraPasswords } from '../accounts/passwords.js';
import type { CameraAudit } from '../audit/camera-audit.js';
import { children, child, textOf, xmlText } from '../../media/onvif/soap.js';
import { OnvifFault, type OnvifCall, type OnvifOperation } from './operation.js';

const prohibited = (innerSubcode: string, reason: string) =>
  new OnvifFault({ code: 'env:Sender', subcode: 'ter:OperationProhibited', innerSubcode: `ter:${innerSubcode}`, reason });

/** Names people type and cameras accept alike: letters, digits, dot, dash, underscore. */
const USERNAME = /^[A-Za-z0-9._-]{1,32}$/;
const MAX_ACCOUNTS = 32;

const REFUSALS: Record<AccountChangeRefused['reason'], () => OnvifFault> = {
  exists: () => prohibited('UsernameClash', 'a user with that name exists'),
  not_found: () => new OnvifFault({ code: 'env:Sender', subcode: 'ter:InvalidArgVal', innerSubcode: 'ter:UsernameMissing', reason: 'no user with that name' }),
  last_administrator: () => prohibited('FixedUser', 'the camera must keep one Administrator'),
};

interface UserEntry {
  username: string;
  password: string | undefined;
  level: string | undefined;
}

const readUsers = (call: OnvifCall): UserEntry[] =>
  children(call.request.body, 'User').map((user) => ({
    username: textOf(child(user, 'Username')) ?? '',
    password: textOf(child(user, 'Password')),
    level: textOf(child(user, 'UserLevel')),
  }));

/** ONVIF Core user handling (GetUsers, CreateUsers, SetUser, DeleteUsers): Administrators only; each list applied whole or not at all; audited. */
export function userOperations(ports: {
  accounts: AccountStore;
  passwords: Pick<CameraPasswords, 'judge' | 'store'>;
  audit: Pick<CameraAudit, 'append'>;
  clock: Clock;
}): Record<string, OnvifOperation> {
  const { accounts, passwords, audit, clock } = ports;

  /** The password as stored, after the core's policy accepted it for this name. */
  const acceptedPassword = async (username: string, password: string) => {
    const verdict = await passwords.judge(username, password);
    if (!verdict.accepted) throw prohibited('Password', `the password is too weak: ${verdict.reasons.map((r) => r.message).join('; ')}`);
    return passwords.store(username, password);
  };

  const apply = async (call: OnvifCall, changes: AccountChange[]) => {
    try {
      accounts.apply(changes, clock.now());
    } catch (error) {
      if (error instanceof AccountChangeRefused) throw REFUSALS[error.reason]();
      throw error;
    }
    for (const change of changes) {
      await audit.append({
        type: change.kind === 'create' ? 'user.created' : change.kind === 'set' ? 'user.changed' : 'user.deleted',
        outcome: 'success',
        actor: { id: call.caller!.id, username: call.caller!.username },
        sourceIp: call.sourceIp,
        target: `username:${change.username}`,
        details: change.kind === 'delete' ? {} : { level: change.level, passwordChanged: change.password !== undefined },
      });
    }
  };

  const validated = (user: UserEntry) => {
    if (!USERNAME.test(user.username)) throw prohibited('UsernameTooLong', 'a username is 1 to 32 letters, digits, dots, dashes or underscores');
    if (!isUserLevel(user.level)) throw prohibited('UserLevel', 'the level is Administrator, Operator or User');
    return { username: user.username, level: user.level };
  };

  return {
    GetUsers: {
      required: 'Administrator',
      handle: () =>
        '<tds:GetUsersResponse>' +
        accounts
          .list()
          .map((a) => `<tds:User><tt:Username>${xmlText(a.username)}</tt:Username><tt:UserLevel>${a.level}</tt:UserLevel></tds:User>`)
          .join('') +
        '</tds:GetUsersResponse>',
    },
    CreateUsers: {
      required: 'Administrator',
      handle: async (call) => {
        const users = readUsers(call);
        if (accounts.list().length + users.length > MAX_ACCOUNTS) throw prohibited('TooManyUsers', `at most ${MAX_ACCOUNTS} users`);
        const changes: AccountChange[] = [];
        for (const user of users) {
          const { username, level } = validated(user);
          if (!user.password) throw prohibited('Password', 'a new user needs a password');
          changes.push({ kind: 'create', username, level, password: await acceptedPassword(username, user.password) });
        }
        await apply(call, changes);
        return '<tds:CreateUsersResponse/>';
      },
    },
    SetUser: {
      required: 'Administrator',
      handle: async (call) => {
        const changes: AccountChange[] = [];
        for (const user of readUsers(call)) {
          const { username, level } = validated(user);
          const password = user.password ? await acceptedPassword(username, user.password) : undefined;
          changes.push({ kind: 'set', username, level, password });
        }
        await apply(call, changes);
        return '<tds:SetUserResponse/>';
      },
    },
    DeleteUsers: {
      required: 'Administrator',
      handle: async (call) => {
        const names = children(call.request.body, 'Username').map((name) => textOf(name) ?? '');
        await apply(
          call,
          names.map((username) => ({ kind: 'delete', username })),
        );
        return '<tds:DeleteUsersResponse/>';
      },
    },
  };
}
