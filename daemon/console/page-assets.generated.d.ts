/** The console page, bundled by scripts/build-page.mjs (the .js beside this is generated, gitignored): each file brotli-compressed, base64. */
export declare const PAGE_FILES: Record<string, { type: string; etag: string; size: number; br: string }>;
