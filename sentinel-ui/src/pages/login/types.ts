/** The login form's model. */
export interface LoginModel {
  password: string
}

/** What the login page shows above the form. */
export type LoginNotice =
  | { kind: 'none' }
  | { kind: 'wrongPassword' }
  | { kind: 'locked'; secondsLeft: number }
  | { kind: 'unlocked' }
  | { kind: 'expired' }
  | { kind: 'error'; message: string }
