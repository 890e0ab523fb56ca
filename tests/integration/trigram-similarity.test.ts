/** The passage index's trigram similarity (services/knowledge/retrieval/trigram.ts, also the offline benchmarks') scores what Postgres's pg_trgm does. */
import 'reflect-metadata';
import { trigramSimilarity, trigrams } from '../../services/knowledge/retrieval/trigram';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_trigrams');

const PAIRS: Array<[string, string]> = [
  ['Can I move my account to the EU data region?', 'can my account move to the EU data region?'],
  ['How do I top up my card?', 'hi, how do i top up my card'],
  ["My card hasn't arrived yet", 'my new card has not come yet, what do I do'],
  ['Why was I charged a fee for a transfer?', 'transfer fee charged???'],
  ['Réinitialiser le mot de passe', 'réinitialiser mon mot de passe'],
  ['a', 'a b c 1 22 333'],
  ['!!!', 'nothing in common'],
];

describe('trigram similarity, offline and in Postgres', () => {
  it.each(PAIRS)('%s ~ %s', async (a, b) => {
    const [row] = await knowledge.db.query('SELECT public.similarity($1, $2)::float8 AS similarity', [a, b]);
    expect(trigramSimilarity(trigrams(a), trigrams(b))).toBeCloseTo(Number(row.similarity), 5);
  });
});
