/**
 * What an admin types to confirm the two resets (the web UI shows the same words). Pure: the web UI
 * imports it.
 */
export const RESTORE_DEFAULTS_PHRASE = 'RESTORE DEFAULTS';
export const FACTORY_RESET_PHRASE = 'ERASE EVERYTHING';
