/**
 * Known issues: which open bug, if any, a customer's question is about. The candidates are the open bugs that
 * already affect the asker (linked to their account, or in a product area of the page; account-context picks
 * those), so this only has to tell whether the question and a bug's title speak of the same thing.
 *
 * The rule, kept simple so a support lead can predict it: both texts are reduced to their subject words (the
 * shared tokeniser, minus stop words and the words that only say that something is wrong, such as "fails",
 * "error" or "broken", then stemmed, so "PDFs" meets "PDF" and "downloading" meets "download"). A bug matches
 * when the question shares at least two of its title's subject words, and at least a third of them for a title
 * with more than six. A title with a single subject word ("Exports broken") matches on that word. One shared
 * word is otherwise not enough: most questions that mention invoices are not about a broken invoice download.
 */
import { STOP_WORDS, stem, tokens } from '../../shared/text';

/**
 * Words a bug title or a complaint uses to say that something is wrong, not what: sharing them ("fails",
 * "error") says nothing about whether two texts are about the same part of the product.
 */
const SYMPTOM_WORDS = `bug bugs issue issues problem problems error errors fail fails failed failing failure broken break breaks
  crash crashes crashed crashing wrong work works working worked stuck slow unable keep keeps kept happen happens
  happening suddenly anymore today yesterday since`.split(/\s+/);
const SYMPTOM_STEMS: ReadonlySet<string> = new Set(SYMPTOM_WORDS.map(stem));

/** Titles longer than this must share a third of their subject words, so a long title cannot match on two stray ones. */
const SHORT_TITLE_WORDS = 6;

export interface KnownIssueCandidate {
  title: string;
}

function subjectWords(text: string): Set<string> {
  const words = tokens(text).filter((word) => word.length > 1 && !STOP_WORDS.has(word));
  return new Set(words.map(stem).filter((word) => !SYMPTOM_STEMS.has(word)));
}

/** How many of the title's subject words the question must share. */
function wordsNeeded(titleWords: number): number {
  if (titleWords <= 1) return titleWords;
  return titleWords <= SHORT_TITLE_WORDS ? 2 : Math.ceil(titleWords / 3);
}

/**
 * The bug the question is about, or null. When several match, the one sharing the most words wins, then the one
 * whose title it covers best, then the earlier in `bugs` (account-context lists the account's own bugs first).
 */
export function matchKnownIssue<Bug extends KnownIssueCandidate>(question: string, bugs: readonly Bug[]): Bug | null {
  const asked = subjectWords(question);
  let best: { bug: Bug; shared: number; coverage: number } | null = null;
  for (const bug of bugs) {
    const title = subjectWords(bug.title);
    const needed = wordsNeeded(title.size);
    if (needed === 0) continue;
    const shared = [...title].filter((word) => asked.has(word)).length;
    if (shared < needed) continue;
    const coverage = shared / title.size;
    if (!best || shared > best.shared || (shared === best.shared && coverage > best.coverage)) best = { bug, shared, coverage };
  }
  return best?.bug ?? null;
}
