/** Prints each subgraph's SDL and composes the supergraph with @apollo/composition (no Rover, no network). */
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { SUBGRAPHS } from './subgraphs';

export interface ComposedSchemas {
  /** File name in schema/ → content. */
  files: Record<string, string>;
}

export async function composeSchemas(): Promise<ComposedSchemas> {
  const files: Record<string, string> = {};
  const services = [];
  for (const subgraph of SUBGRAPHS) {
    const sdl = printSubgraphSchema(await subgraph.build());
    files[`${subgraph.name}.graphql`] = `${sdl.trim()}\n`;
    services.push({ name: subgraph.name, url: subgraph.url, typeDefs: parse(sdl) });
  }
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  files['supergraph.graphql'] = `${result.supergraphSdl.trim()}\n`;
  return { files };
}
