/**
 * @tak-ps/node-cot, the JS peer, for interop tests and benchmarks only. Loaded by a
 * non-literal specifier so that tsc does not type-check the package's own .ts sources
 * (it ships them as its types, and they do not compile under this project's settings).
 */

export interface NodeCotAttributes {
  _attributes: Record<string, string>;
}

export interface NodeCot {
  raw: {
    event: NodeCotAttributes & { point: NodeCotAttributes; detail: Record<string, NodeCotAttributes> };
  };
  to_proto(): Uint8Array;
  to_xml(): string;
}

export interface NodeCotClass {
  new (xml: string): NodeCot;
  from_proto(bytes: Uint8Array): NodeCot;
}

const PACKAGE = '@tak-ps/node-cot';

export async function loadNodeCot(): Promise<NodeCotClass> {
  const module = (await import(PACKAGE)) as { default: NodeCotClass };
  return module.default;
}
