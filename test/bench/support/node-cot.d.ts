// The part of @tak-ps/node-cot the benchmarks call. The package ships its TypeScript sources
// as its types, which do not compile under our settings, so tsconfig's `paths` points the
// type checker here instead; at run time Node loads the real package.
declare class CoT {
  constructor(cot: string | Buffer | object);
  to_xml(): string;
  to_proto(version?: number): Uint8Array;
  static from_proto(raw: Uint8Array, version?: number): CoT;
}
export default CoT;
