import type { BindingStatus } from '@/api/bindings'

/** What the search box searches. */
export type SearchField = 'hint' | 'hashPrefix' | 'ip'

/** The search form's model. */
export interface SearchModel {
  field: SearchField
  text: string
  status: BindingStatus | ''
}

/** The rules dialog's model: one CIDR per line. */
export interface RulesModel {
  text: string
}

/** The note dialog's model. */
export interface NoteModel {
  note: string
}

/** The pasted-key dialog's model. */
export interface KeyToolsModel {
  key: string
  rules: string
  status: BindingStatus
}
