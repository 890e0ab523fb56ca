/** Text as every service reads it: one tokeniser, one stop-word list, one stemmer and one sentence splitter. */
export { tokens } from './tokens';
export { STOP_WORDS } from './stop-words';
export { stem } from './stem';
export { sentences } from './sentences';
