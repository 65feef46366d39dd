import CInterruptCleanup

/// The temporary files of atomic writes in flight, for signal handlers that end the process.
public enum InterruptCleanup {
    /// Removes every temporary file an atomic write has named but not yet renamed.
    /// Async-signal-safe: a handler may call it right before `_exit`.
    public static func removeTemporaryFiles() { mammoseg_interrupt_cleanup_remove_all() }
}
