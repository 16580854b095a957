//! Calls made before `configure` fail cleanly instead of panicking across the FFI boundary.
//! A file of its own: each test binary is a process with its own (unconfigured) key store.

use futures_lite::future::block_on;
use keystore_ffi::{NativeError, can_authenticate, get_value, is_available, security_level};

#[test]
fn every_call_before_configure_reports_unavailable() {
    assert!(!is_available());
    assert!(!can_authenticate());
    assert!(matches!(
        security_level(),
        Err(NativeError::Unavailable { .. })
    ));

    let read = block_on(get_value("session".into(), "token".into(), None));
    assert!(matches!(read, Err(NativeError::Unavailable { .. })));
}
