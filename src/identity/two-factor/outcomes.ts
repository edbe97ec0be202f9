/** The ways a two-factor service refuses, as one vocabulary each part maps to its own answers. */
export type Failure<R extends string> = { ok: false; reason: R };

export type Throttled = { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export type ReauthFailure = Failure<'invalid_current_password'> | Throttled;

/** Every way a two-factor operation can be refused. */
export type TwoFactorRefusal =
  | ReauthFailure
  | Failure<
      | 'already_enabled'
      | 'no_pending_enrolment'
      | 'not_enabled'
      | 'own_two_factor_missing'
      | 'invalid_code'
      | 'invalid_challenge'
      | 'invalid_second_factor'
      | 'invalid_passkey'
      | 'passkey_not_found'
    >;
