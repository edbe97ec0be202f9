/** Where a part keeps its admin's "everyone must use two-factor authentication" setting (a port). */
export interface TwoFactorPolicyStore {
  isTwoFactorRequired(): Promise<boolean>;
  setTwoFactorRequired(required: boolean, now: number): Promise<void>;
}
