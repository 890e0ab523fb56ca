import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import { DomainError, ErrorCode } from './errors';
import type { Logger } from './logger';
import type { ProcessMetrics } from './metrics';

/** Distinct operation labels a process keeps; past it, new ones count under `other`. */
export const MAX_OPERATION_LABELS = 200;
/** Root fields named in one label; more are counted as `+N`. */
const MAX_FIELDS_IN_LABEL = 3;

/**
 * The operation's label: its type and root fields (`mutation:ask`, `query:conversation,inbox`), which the schema
 * bounds, not the name the client chose. A client-chosen name (any length, any number of them) made every
 * process keep one time series per name sent, forever: memory any widget-key holder could grow at will.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined | null): string {
  if (!operation) return 'invalid';
  const fields = [
    ...new Set(operation.selectionSet.selections.map((selection) => (selection.kind === 'Field' ? selection.name.value : '…'))),
  ].sort();
  const named = fields.slice(0, MAX_FIELDS_IN_LABEL).join(',');
  return `${operation.operation}:${named}${fields.length > MAX_FIELDS_IN_LABEL ? `,+${fields.length - MAX_FIELDS_IN_LABEL}` : ''}`;
}

/** Records latency and outcome per operation, and logs every error that clients only see masked. */
export function graphqlMetricsPlugin(metrics: ProcessMetrics, logger?: Logger): ApolloServerPlugin {
  const labels = new Set<string>();
  const bounded = (label: string) => {
    if (labels.has(label)) return label;
    if (labels.size >= MAX_OPERATION_LABELS) return 'other';
    labels.add(label);
    return label;
  };
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors(requestContext) {
          for (const error of requestContext.errors) {
            const original = error.originalError;
            if (!original || original instanceof DomainError || original.name === 'ArgumentValidationError') continue;
            const code = String(error.extensions?.code ?? '');
            if (code.startsWith('GRAPHQL_') || (Object.values(ErrorCode) as string[]).includes(code)) continue;
            logger?.error({ err: original, path: error.path, operation: operationLabel(requestContext.operation) }, 'unexpected error while resolving');
          }
        },
        async willSendResponse(requestContext) {
          const operation = bounded(operationLabel(requestContext.operation));
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const outcome = requestContext.errors && requestContext.errors.length > 0 ? 'error' : 'ok';
          metrics.graphqlDuration.observe({ operation }, seconds);
          metrics.graphqlRequests.inc({ operation, outcome });
        },
      };
    },
  };
}
