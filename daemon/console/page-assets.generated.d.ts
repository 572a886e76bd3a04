/** The console page, bundled by scripts/build-page.mjs (the .js beside this is generated, gitignored). */
export declare const PAGE_FILES: Record<string, { type: string; body: string }>;
