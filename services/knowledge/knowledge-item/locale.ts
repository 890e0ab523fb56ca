/** A locale is an ISO 639 language code in lower case ('en', 'es', 'de', 'fr', 'ar', ...): what language detection yields. */
export const LOCALE_PATTERN = /^[a-z]{2,3}$/;

/** What every item was before locales existed, and what an article is unless it says otherwise. */
export const DEFAULT_LOCALE = 'en';
