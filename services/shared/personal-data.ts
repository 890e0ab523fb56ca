/**
 * Who may read personal data (a customer's name, email, external id and attributes; agents' and the AI's
 * replies in transcripts). Agents and admins work with customers and need it; analysts get aggregates and
 * customers' questions unless their workspace grants more (updateWorkspaceSettings, carried in the signed
 * context); a widget sees only its own customer's conversation, which the services check separately.
 */
import type { RequestContext } from './request-context';

export function mayReadPersonalData(auth: Pick<RequestContext, 'role' | 'personalData'>): boolean {
  switch (auth.role) {
    case 'agent':
    case 'admin':
    case 'system':
      return true;
    case 'analyst':
      return auth.personalData === true;
    case 'widget':
    case 'operator':
      return false;
    default: {
      const unknownRole: never = auth.role;
      throw new Error(`unhandled role ${String(unknownRole)}`);
    }
  }
}
