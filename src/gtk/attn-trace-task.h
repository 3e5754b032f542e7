/* attn-trace-task.h: traces computed off the main thread
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-core.h"

G_BEGIN_DECLS

void        attn_trace_run_async      (AttnExample            *example,
                                       AttnGraph              *graph,
                                       const AttnGraphOptions *options,
                                       const AttnTraceQuery   *query,
                                       AttnProgress           *progress,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data);
AttnTrace  *attn_trace_run_finish     (GAsyncResult           *result,
                                       AttnGraph             **graph,
                                       GError                **error);

void        attn_trace_continue_async  (AttnGraph             *graph,
                                        AttnTrace             *partial,
                                        AttnTraceFunc          layer_done,
                                        gpointer               layer_data,
                                        GDestroyNotify         layer_data_free,
                                        AttnProgress          *progress,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
AttnTrace  *attn_trace_continue_finish (GAsyncResult          *result,
                                        GError               **error);

G_END_DECLS
