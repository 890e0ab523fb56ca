/**
 * How a person who works conversations appears in the request context and wherever an actor is recorded
 * (claims, messages, learning events): `agent:<id>`. Shared workspace keys appear as `key:<id>`.
 */
const PREFIX = 'agent:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const agentSubject = (agentId: string): string => `${PREFIX}${agentId}`;

/** The agent id in a subject, or null when the subject is a key, a customer or a service. */
export function agentIdOf(subject: string | null | undefined): string | null {
  if (!subject?.startsWith(PREFIX)) return null;
  const id = subject.slice(PREFIX.length);
  return UUID.test(id) ? id : null;
}
