/** ONVIF's user levels (Core specification, 5.9.4): what each may do is in onvif/access.ts. */
export const USER_LEVELS = ['Administrator', 'Operator', 'User'] as const;

export type UserLevel = (typeof USER_LEVELS)[number];

export function isUserLevel(value: unknown): value is UserLevel {
  return typeof value === 'string' && (USER_LEVELS as readonly string[]).includes(value);
}
