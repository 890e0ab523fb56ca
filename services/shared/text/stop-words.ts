/**
 * The one stop-word list: function words, plus the greetings and request verbs ("hi", "need", "help", "please")
 * found in almost every support message, which say nothing about what a message is about. Written without
 * apostrophes, as `tokens` returns them ("dont", "whats"). The intent model keeps every word (it weighs them
 * itself); sentence choice in the extractive answerer and gap clustering drop these.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a able about after again all already also am an and any are as at be been before being but by can cannot cant
  could did didnt do does doesnt doing dont each ever for from get got had has have having he hello help her here
  hey hi his how i if im in into is isnt it its ive just know like may me might more most must my need no not now of
  on once only or other our out over own please shall should so some still such than thank thanks that the their
  them then there these they this those to too try under until up us very want was wasnt we were what whats when
  where which while who why will with wont would yet you your yours`.split(/\s+/),
);
