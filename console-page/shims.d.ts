// The parts of milsymbol the page bundles (letter SIDCs, MIL-STD-2525C only), by the
// aliases scripts/build-page.mjs gives esbuild.
declare module 'milsymbol-core' {
  export const ms: {
    Symbol: new (sidc: string, options: { size: number }) => { toDataURL(): string; getAnchor(): { x: number; y: number }; getSize(): { width: number; height: number } };
    addIcons(icons: unknown): void;
  };
}
declare module 'milsymbol-2525c' {
  export const std2525c: unknown;
}
declare module '*.json' {
  const value: unknown;
  export default value;
}
