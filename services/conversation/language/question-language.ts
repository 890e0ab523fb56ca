/**
 * Which knowledge answers a question, given its language: the question's language is detected, retrieval is asked
 * for knowledge in that language only, and when the workspace has none in it, either the answer model translates
 * the question into the workspace's main knowledge language (it then answers in the customer's language from that
 * knowledge, and the citations say what they were translated from) or the question is unsupported (a hand-off).
 */
import type { Audience, KnowledgeClient, Retrieval } from '../clients/knowledge';
import type { Translator } from '../answering/model-translator';
import type { LanguageDetector } from './language-detector';

export interface LanguageRoute {
  /** The customer's language (ISO 639). */
  language: string;
  /** What knowledge says, for the question or for its translation. */
  retrieval: Retrieval;
  /** The workspace has knowledge, but none in the customer's language, and it could not be translated. */
  unsupported: boolean;
  /** The knowledge language the question was translated into, when it was. */
  translatedTo: string | null;
}

const CANDIDATES = 5;

export class QuestionLanguage {
  constructor(
    private readonly detector: LanguageDetector,
    private readonly knowledge: KnowledgeClient,
    private readonly translator: Translator | null,
  ) {}

  /** `previous`: the language of the conversation so far, preferred when the question alone is ambiguous. */
  async route(workspaceId: string, text: string, audience: Audience, previous: string | null): Promise<LanguageRoute> {
    const preferred = previous ? [previous] : [];
    let detected = await this.detector.detect(text, preferred);
    let retrieval = await this.knowledge.retrieve(workspaceId, text, audience, CANDIDATES, detected.language);
    const locales = retrieval.locales ?? [];
    const routed = (language: string, found: Retrieval, translatedTo: string | null = null): LanguageRoute => ({ language, retrieval: found, unsupported: false, translatedTo });
    if (locales.length === 0 || locales.includes(detected.language)) return routed(detected.language, retrieval);
    if (!detected.certain) {
      // An ambiguous question (the two models disagree): the languages the workspace answers in are preferred too.
      detected = await this.detector.detect(text, [...preferred, ...locales]);
      if (locales.includes(detected.language)) {
        retrieval = await this.knowledge.retrieve(workspaceId, text, audience, CANDIDATES, detected.language);
        return routed(detected.language, retrieval);
      }
    }
    const main = locales[0]!;
    const translated = this.translator ? await this.translator.translate(text, main) : null;
    if (translated) return routed(detected.language, await this.knowledge.retrieve(workspaceId, translated, audience, CANDIDATES, main), main);
    return { language: detected.language, retrieval, unsupported: true, translatedTo: null };
  }
}
