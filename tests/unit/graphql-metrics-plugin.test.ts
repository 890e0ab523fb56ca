import { parse, type OperationDefinitionNode } from 'graphql';
import { MAX_OPERATION_LABELS, graphqlMetricsPlugin, operationLabel } from '../../services/shared/graphql-metrics-plugin';
import { createMetrics } from '../../services/shared/metrics';

const operationOf = (query: string) => parse(query).definitions[0] as OperationDefinitionNode;

describe('operation labels', () => {
  test('are the operation type and its root fields, whatever the client named it', () => {
    expect(operationLabel(operationOf('mutation Ask($input: AskInput!) { ask(input: $input) { decision } }'))).toBe('mutation:ask');
    expect(operationLabel(operationOf(`query ${'Q'.repeat(10_000)} { inbox { id } conversation(id: "1") { id } }`))).toBe('query:conversation,inbox');
    expect(operationLabel(operationOf('{ a: workspace { id } b: workspace { id } }'))).toBe('query:workspace');
    expect(operationLabel(operationOf('{ a { id } b { id } c { id } d { id } e { id } }'))).toBe('query:a,b,c,+2');
    expect(operationLabel(undefined)).toBe('invalid');
  });

  test('a process keeps at most MAX_OPERATION_LABELS of them; the rest count as other', async () => {
    const metrics = createMetrics('test');
    const plugin = graphqlMetricsPlugin(metrics);
    for (let i = 0; i < MAX_OPERATION_LABELS + 50; i++) {
      const listener = await plugin.requestDidStart!({} as never);
      await listener!.willSendResponse!({ operation: operationOf(`{ field${i} }`), errors: undefined } as never);
    }
    const { values } = await metrics.graphqlRequests.get();
    const labels = new Set(values.map((value) => value.labels.operation));
    expect(labels.size).toBe(MAX_OPERATION_LABELS + 1);
    expect(values.find((value) => value.labels.operation === 'other')?.value).toBe(50);
  });
});
