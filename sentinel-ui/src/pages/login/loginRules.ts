import type { FormRules } from 'element-plus'

import type { LoginModel } from './types'

type Translate = (key: string) => string

/** Rules of the login form. */
export function loginRules(t: Translate): FormRules<LoginModel> {
  return {
    password: [{ required: true, message: t('login.passwordRequired'), trigger: 'submit' }],
  }
}
