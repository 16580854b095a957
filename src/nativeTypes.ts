// Conversions from the generated bindings' records into the public types of types.ts.
import type {
  EntryMetadata as NativeEntryMetadata,
  SecurityLevel as NativeSecurityLevel,
} from './generated/turbo-module';
import { nativeBindings } from './nativeErrors';
import type { EntryMetadata, SecurityLevel } from './types';

/** Converts the bindings' numeric enum into the public strings. */
export function toSecurityLevel(level: NativeSecurityLevel): SecurityLevel {
  const native = nativeBindings().SecurityLevel;
  if (level === native.Software) return 'SOFTWARE';
  if (level === native.TrustedEnvironment) return 'TRUSTED_ENVIRONMENT';
  return 'STRONGBOX';
}

/** Converts the bindings' metadata record into the public shape. */
export function toEntryMetadata(metadata: NativeEntryMetadata): EntryMetadata {
  return {
    authentication: metadata.authentication,
    securityLevel: toSecurityLevel(metadata.securityLevel),
    createdAt: new Date(metadata.createdAtMs),
    updatedAt: new Date(metadata.updatedAtMs),
  };
}
