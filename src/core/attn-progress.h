/* attn-progress.h: how far a job on a worker thread got, for the thread that shows it
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * AttnProgressFunc:
 * @fraction: the fraction of the job done, in [0, 1], never decreasing
 * @user_data: the closure
 *
 * Progress of a long computation, called on the computing thread.
 */
typedef void (*AttnProgressFunc) (double   fraction,
                                  gpointer user_data);

/**
 * AttnProgress:
 *
 * The progress of one running job, shared by the worker that reports it
 * (attn_progress_report(), an #AttnProgressFunc) and whoever shows it:
 * read at any time with attn_progress_get_fraction(), and announced on the
 * main context it was made on, at most once per main-loop iteration.
 * Reference counted and thread-safe.
 */
typedef struct _AttnProgress AttnProgress;

#define ATTN_TYPE_PROGRESS (attn_progress_get_type ())

GType          attn_progress_get_type     (void) G_GNUC_CONST;
AttnProgress  *attn_progress_new          (GCallback       changed,
                                           gpointer        user_data);
AttnProgress  *attn_progress_ref          (AttnProgress   *self);
void           attn_progress_unref        (AttnProgress   *self);
void           attn_progress_report       (double          fraction,
                                           gpointer        self);
double         attn_progress_get_fraction (AttnProgress   *self);
void           attn_progress_disconnect   (AttnProgress   *self);

void           attn_main_context_add_idle (GMainContext   *context,
                                           int             priority,
                                           GSourceFunc     function,
                                           gpointer        data,
                                           GDestroyNotify  notify);

/**
 * AttnStepProgress:
 * @func: (nullable): where the progress goes
 * @user_data: its closure
 * @step: the step running, 0-based
 * @n_steps: how many equal steps the job has (such as the examples of a file)
 *
 * The progress of a job of equal steps: a step's own fraction becomes the
 * job's. attn_step_progress_flow_cb() is an #AttnFlowPartialFunc for a flow
 * computed within a step.
 */
typedef struct
{
  AttnProgressFunc  func;
  gpointer          user_data;
  guint             step;
  guint             n_steps;
} AttnStepProgress;

void           attn_step_progress_report  (AttnStepProgress *self,
                                           double            fraction);
void           attn_step_progress_flow_cb (guint             layer,
                                           guint             position,
                                           const double     *values,
                                           double            fraction,
                                           gpointer          self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnProgress, attn_progress_unref)

G_END_DECLS
