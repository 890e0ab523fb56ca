/**
 * Detects the language of a customer's question with two embedded models shipped in npm packages, nothing
 * downloaded at run time: fastText's language-identification model (lid.176.ftz, 176 languages, run as
 * WebAssembly by `fasttext.wasm.js`) and tinyld's n-gram tables (`tinyld/heavy`, pure JavaScript).
 *
 * Why two: on short questions each one misreads a few plain sentences (fastText reads "How do I reset my
 * password?" as French at 0.74; tinyld reads "delete my account" as Italian), and a misread question is handed off
 * in a language the customer did not write. The two are built differently (a supervised embedding classifier vs.
 * n-gram frequency tables) and rarely misread the same sentence the same way, so a language is taken as certain
 * only when both name it; otherwise the languages the conversation and the workspace already use are preferred.
 * Measured in README ("Languages") with `npm run bench:language`.
 */
import { detectAll } from './tinyld-heavy';

/** The part of fastText's WebAssembly model this uses: the k likeliest labels (`__label__xx`) with probabilities. */
interface FastTextModel {
  predict(text: string, k: number, threshold: number): { size(): number; get(index: number): [number, string] };
}

export interface DetectedLanguage {
  /** An ISO 639 code in lower case, as the models name it ('en', 'es', 'de', 'fr', 'ar', ...). */
  language: string;
  /** Both models named it. */
  certain: boolean;
}

/** fastText's probability above which its reading stands alone when the two disagree and neither names a preferred language. */
const FASTTEXT_ALONE = 0.5;

export class LanguageDetector {
  private model: Promise<FastTextModel> | null = null;

  /** Loads fastText's model (a few hundred ms); called at start-up so that the first question does not wait. */
  load(): Promise<FastTextModel> {
    this.model ??= (async () => {
      const { getLIDModel } = await import('fasttext.wasm.js');
      const lid = await getLIDModel();
      return (await lid.load()) as unknown as FastTextModel;
    })();
    return this.model;
  }

  /**
   * The question's language. `preferred` lists languages already in use, most preferred first (the conversation's,
   * then the workspace's knowledge locales): when the models disagree, a preferred language either of them named
   * wins, then fastText's reading if it is sure enough, then the first preferred language.
   */
  async detect(text: string, preferred: readonly string[] = []): Promise<DetectedLanguage> {
    const cleaned = text.replace(/\s+/g, ' ').trim();
    const fast = firstLabel((await this.load()).predict(cleaned.toLowerCase(), 1, 0));
    const tiny = detectAll(cleaned)[0]?.lang ?? null;
    if (fast && fast.language === tiny) return { language: fast.language, certain: true };
    const named = [fast?.language, tiny].filter((l): l is string => !!l);
    const favourite = preferred.find((language) => named.includes(language));
    if (favourite) return { language: favourite, certain: false };
    if (fast && fast.probability >= FASTTEXT_ALONE) return { language: fast.language, certain: false };
    return { language: preferred[0] ?? fast?.language ?? tiny ?? 'en', certain: false };
  }
}

function firstLabel(predictions: ReturnType<FastTextModel['predict']>): { language: string; probability: number } | null {
  if (predictions.size() === 0) return null;
  const [probability, label] = predictions.get(0);
  return { language: label.replace('__label__', ''), probability };
}
