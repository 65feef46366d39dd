#include "CInterruptCleanup.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

enum { slotCount = 64, pathCapacity = 4096 };
enum { slotFree = 0, slotFilling = 1, slotReady = 2 };

static char paths[slotCount][pathCapacity];
static atomic_int states[slotCount];
static atomic_int installed;

int mammoseg_interrupt_cleanup_register(const char *path) {
    size_t length = strlen(path);
    if (length >= pathCapacity) return -1;
    for (int slot = 0; slot < slotCount; slot++) {
        int expected = slotFree;
        if (atomic_compare_exchange_strong(&states[slot], &expected, slotFilling)) {
            memcpy(paths[slot], path, length + 1);
            atomic_store(&states[slot], slotReady);
            return slot;
        }
    }
    return -1;
}

void mammoseg_interrupt_cleanup_unregister(int slot) {
    if (slot >= 0 && slot < slotCount) atomic_store(&states[slot], slotFree);
}

void mammoseg_interrupt_cleanup_remove_all(void) {
    for (int slot = 0; slot < slotCount; slot++) {
        // A file not yet created, or already renamed away, makes unlink fail harmlessly.
        if (atomic_load(&states[slot]) == slotReady) unlink(paths[slot]);
    }
}

/// Removes the files, then lets the signal do what it would have done: the default action
/// (ending the process, with the status a shell reports as killed by that signal).
static void removeThenDieBySignal(int signalNumber) {
    mammoseg_interrupt_cleanup_remove_all();
    struct sigaction defaultAction;
    memset(&defaultAction, 0, sizeof defaultAction);
    defaultAction.sa_handler = SIG_DFL;
    sigemptyset(&defaultAction.sa_mask);
    sigaction(signalNumber, &defaultAction, NULL);
    raise(signalNumber);
}

void mammoseg_interrupt_cleanup_install(void) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&installed, &expected, 1)) return;
    const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction current;
        if (sigaction(signals[i], NULL, &current) != 0) continue;
        if (current.sa_handler != SIG_DFL || (current.sa_flags & SA_SIGINFO)) continue;
        struct sigaction removing;
        memset(&removing, 0, sizeof removing);
        removing.sa_handler = removeThenDieBySignal;
        sigemptyset(&removing.sa_mask);
        sigaction(signals[i], &removing, NULL);
    }
}
