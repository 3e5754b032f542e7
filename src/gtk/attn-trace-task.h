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

/**
 * AttnTraceProgress:
 *
 * The progress of a running job, shared by the job and whoever shows it:
 * a reference-counted per-mille counter, read with
 * attn_trace_progress_get_fraction().
 */
typedef struct _AttnTraceProgress AttnTraceProgress;

AttnTraceProgress *attn_trace_progress_new          (void);
AttnTraceProgress *attn_trace_progress_ref          (AttnTraceProgress   *self);
void               attn_trace_progress_unref        (AttnTraceProgress   *self);
double             attn_trace_progress_get_fraction (AttnTraceProgress   *self);

void        attn_trace_run_async      (AttnExample            *example,
                                       AttnGraph              *graph,
                                       const AttnGraphOptions *options,
                                       const AttnTraceQuery   *query,
                                       AttnTraceProgress      *progress,
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
                                        AttnTraceProgress     *progress,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
AttnTrace  *attn_trace_continue_finish (GAsyncResult          *result,
                                        GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnTraceProgress, attn_trace_progress_unref)

G_END_DECLS
