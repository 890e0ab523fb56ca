import { outboxPositionNotUniqueMigration } from '../../shared/outbox';

/** The outbox's position keeps its order index but loses its unique one (see outboxPositionNotUniqueMigration). */
export const OutboxPositionNotUnique1764761300000 = outboxPositionNotUniqueMigration('knowledge');
