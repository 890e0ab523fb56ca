/** The DomainError a synchronous call throws, for asserting its code and message; anything else fails the test. */
import { DomainError } from '../../services/shared/errors';

export function rejection(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
