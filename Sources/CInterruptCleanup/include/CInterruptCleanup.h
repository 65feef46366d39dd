#ifndef C_INTERRUPT_CLEANUP_H
#define C_INTERRUPT_CLEANUP_H

/// Temporary files that must not outlive the process: a signal that would end it (SIGINT,
/// SIGTERM, SIGHUP with their default action) first removes every registered path.
/// In C because the handler must be async-signal-safe: fixed slots, atomics and unlink(2) only.

/// Registers `path` (copied); returns a slot for `mammoseg_interrupt_cleanup_unregister`, or −1
/// when every slot is taken or the path is too long (the file is then unprotected, not lost).
int mammoseg_interrupt_cleanup_register(const char *path);

/// Forgets a slot returned by `register` (−1 is ignored).
void mammoseg_interrupt_cleanup_unregister(int slot);

/// Removes every registered file now; async-signal-safe, for handlers that end the process.
void mammoseg_interrupt_cleanup_remove_all(void);

/// Installs the removing handler for SIGINT, SIGTERM and SIGHUP where their action is still the
/// default (a program's own handler, or an ignored signal, is left alone); idempotent.
void mammoseg_interrupt_cleanup_install(void);

#endif
