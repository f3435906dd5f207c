#ifndef ARCHESTRA_C_CONCURRENCY_HOOK_H
#define ARCHESTRA_C_CONCURRENCY_HOOK_H

#include <stdbool.h>

/// Receives each job the Swift runtime enqueues on its global executor (a `Job *`, which Swift
/// sees as `UnownedJob`).
typedef void (*archestra_global_job_sink)(void *_Nonnull job);

/// Points the Swift runtime's global-enqueue hook (`swift_task_enqueueGlobal_hook`) at `sink`.
/// Returns false when a hook is already installed; call it before any task is created.
bool archestra_install_global_enqueue_hook(archestra_global_job_sink _Nonnull sink);

#endif
