#include "CConcurrencyHook.h"

#include <stddef.h>

// The hook's type in the Swift runtime (include/swift/Runtime/Concurrency.h): Swift calling
// convention, the job and the runtime's own enqueue function.
typedef void (__attribute__((swiftcall)) *swift_enqueue_original)(void *job);
typedef void (__attribute__((swiftcall)) *swift_enqueue_hook)(void *job, swift_enqueue_original original);

// Defined by libswift_Concurrency: exported by its shared library and protected (linkable, not
// exported) in its static archive. SwiftNIO looks it up with dlsym, which finds nothing in a
// binary linked with --static-swift-stdlib; referring to it here links in both builds.
extern swift_enqueue_hook swift_task_enqueueGlobal_hook;

static archestra_global_job_sink job_sink;

static void __attribute__((swiftcall)) enqueue_on_sink(void *job, swift_enqueue_original original) {
    (void)original;
    job_sink(job);
}

bool archestra_install_global_enqueue_hook(archestra_global_job_sink sink) {
    job_sink = sink;
    swift_enqueue_hook expected = NULL;
    return __atomic_compare_exchange_n(
        &swift_task_enqueueGlobal_hook, &expected, enqueue_on_sink, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
