/**
 * The TAK protocol v1 schema (schema.ts's table) as protobufjs reflection types: the
 * reference the hand-written codec is tested against (tests and benchmarks only; the daemon
 * never loads this, nor the full protobufjs it needs). Built on first use.
 */
import protobuf from 'protobufjs';
import { PROTO_PACKAGE, SCHEMA_TABLE } from './schema.js';

// uint64 fields here are times in ms since 1970, far below 2^53: read them as plain numbers
// rather than allocating a Long per field (protobufjs uses the `long` package when it finds
// it). No schema takd loads has a 64-bit field that needs more than 53 bits.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

function buildRoot(): protobuf.Root {
  const nested: Record<string, protobuf.IType> = {};
  for (const [message, fields] of Object.entries(SCHEMA_TABLE)) {
    const jsonFields: Record<string, protobuf.IField> = {};
    for (const [name, [id, type]] of Object.entries(fields)) jsonFields[name] = { id, type };
    nested[message] = { fields: jsonFields };
  }
  // A JSON descriptor is proto3 unless it says otherwise: implicit presence for scalars,
  // so the encoder omits zero values and empty strings as proto3 requires.
  const packagePath = PROTO_PACKAGE.split('.');
  let namespace: protobuf.INamespace = { nested };
  for (let i = packagePath.length - 1; i >= 0; i--) namespace = { nested: { [packagePath[i]]: namespace } };
  const root = protobuf.Root.fromJSON(namespace);
  root.resolveAll();
  return root;
}

let root: protobuf.Root | undefined;

/** The schema as protobufjs reflection, built on the first call. */
export function protoRoot(): protobuf.Root {
  root ??= buildRoot();
  return root;
}

/** TakMessage as a protobufjs reflection type (encode, decode, toObject), built on the first call. */
export function takMessageType(): protobuf.Type {
  return protoRoot().lookupType(`${PROTO_PACKAGE}.TakMessage`);
}
