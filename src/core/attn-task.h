/* attn-task.h: running a job on a worker thread, the GIO way
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void attn_task_run_in_thread (gpointer             source_tag,
                              gpointer             task_data,
                              GDestroyNotify       task_data_free,
                              GTaskThreadFunc      worker,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
gpointer attn_task_propagate_pointer (GAsyncResult     *result,
                                      gpointer          source_tag,
                                      GError          **error);

G_END_DECLS
