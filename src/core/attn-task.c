/* attn-task.c: running a job on a worker thread, the GIO way
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-task.h"

/**
 * attn_task_run_in_thread:
 * @source_tag: the `_async` function, for its `_finish` to check
 * @task_data: (transfer full): what @worker works on
 * @task_data_free: frees @task_data once the task is gone
 * @worker: runs on a worker thread and returns the task's result
 * @cancellable: (nullable): cancels the task
 * @callback: called on the caller's main context when the task is done
 *
 * The shape of every `_async` function of attnflow: a #GTask without a source
 * object that runs @worker in GIO's thread pool.
 */
void
attn_task_run_in_thread (gpointer             source_tag,
                         gpointer             task_data,
                         GDestroyNotify       task_data_free,
                         GTaskThreadFunc      worker,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, task_data, task_data_free);
  g_task_run_in_thread (task, worker);
}

/**
 * attn_task_propagate_pointer:
 * @result: what the callback of attn_task_run_in_thread() got
 * @source_tag: the `_async` function that started it
 * @error: return location for a #GError
 *
 * The shape of every `_finish` function of attnflow whose task returns a
 * pointer.
 *
 * Returns: (transfer full) (nullable): the task's result, or %NULL with
 *   @error set
 */
gpointer
attn_task_propagate_pointer (GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
