/**
 * A Temporal client that connects on first use and reconnects after a failure, so the conversation service
 * starts (and answers questions) while Temporal is down; escalation commands simply wait.
 */
import { Client, Connection } from '@temporalio/client';

export function lazyTemporalClient(address: string, namespace: string): { get(): Promise<Client>; close(): Promise<void> } {
  let pending: Promise<Client> | undefined;
  let connection: Connection | undefined;
  return {
    get() {
      pending ??= Connection.connect({ address, connectTimeout: '3s' })
        .then((connected) => {
          connection = connected;
          return new Client({ connection: connected, namespace });
        })
        .catch((error: unknown) => {
          pending = undefined;
          throw error;
        });
      return pending;
    },
    async close() {
      await connection?.close();
    },
  };
}
