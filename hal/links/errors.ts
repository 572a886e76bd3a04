// The one LinkError class every link throws; `kind` tells the Source whether to retry.
import type { LinkError, LinkErrorKind } from '../contract.js';

export class HalLinkError extends Error implements LinkError {
  readonly kind: LinkErrorKind;

  constructor(kind: LinkErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HalLinkError';
    this.kind = kind;
  }
}

export function isLinkError(error: unknown): error is LinkError {
  return error instanceof HalLinkError;
}
