/* attn-progress.c: how far a job on a worker thread got, for the thread that shows it
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-progress.h"
#include "attn-refcount.h"

/* The fraction is kept in steps of this much of the job */
#define PROGRESS_STEPS 1000

struct _AttnProgress
{
  gint          steps;      /* atomic; -1 before the first report */
  gint          queued;     /* atomic: an announcement is pending */
  GMutex        mutex;      /* guards changed and user_data */
  GCallback     changed;
  gpointer      user_data;
  GMainContext *context;
};

G_DEFINE_BOXED_TYPE (AttnProgress, attn_progress, attn_progress_ref, attn_progress_unref)

static void
progress_clear (gpointer data)
{
  AttnProgress *self = data;

  g_mutex_clear (&self->mutex);
  g_main_context_unref (self->context);
}

/**
 * attn_progress_new:
 * @changed: (nullable): a `void (*) (AttnProgress *progress, gpointer user_data)`
 *   called on this thread's main context after reports, until
 *   attn_progress_disconnect()
 * @user_data: closure for @changed
 *
 * Returns: (transfer full): a progress at -1 (nothing reported)
 */
AttnProgress *
attn_progress_new (GCallback changed,
                   gpointer  user_data)
{
  AttnProgress *self = g_atomic_rc_box_new0 (AttnProgress);

  self->steps = -1;
  g_mutex_init (&self->mutex);
  self->changed = changed;
  self->user_data = user_data;
  self->context = g_main_context_ref_thread_default ();
  return self;
}

ATTN_DEFINE_RC_BOX_REFS (AttnProgress, attn_progress, progress_clear)

static gboolean
announce_cb (gpointer data)
{
  AttnProgress *self = data;
  GCallback changed;
  gpointer user_data;

  g_atomic_int_set (&self->queued, FALSE);
  g_mutex_lock (&self->mutex);
  changed = g_atomic_pointer_get (&self->changed);
  user_data = self->user_data;
  g_mutex_unlock (&self->mutex);
  if (changed != NULL)
    ((void (*) (AttnProgress *, gpointer)) changed) (self, user_data);
  return G_SOURCE_REMOVE;
}

/**
 * attn_progress_report:
 * @fraction: the fraction of the job done, in [0, 1]
 * @self: (type AttnProgress): the progress
 *
 * Called by the worker, from any thread: an #AttnProgressFunc with the
 * progress as its user data.
 */
void
attn_progress_report (double   fraction,
                      gpointer self)
{
  AttnProgress *progress = self;
  int steps = (int) (CLAMP (fraction, 0., 1.) * PROGRESS_STEPS);

  g_return_if_fail (progress != NULL);

  if (g_atomic_int_get (&progress->steps) == steps)
    return;
  g_atomic_int_set (&progress->steps, steps);
  if (g_atomic_pointer_get (&progress->changed) != NULL &&
      g_atomic_int_compare_and_exchange (&progress->queued, FALSE, TRUE))
    /* above GTK's frames (G_PRIORITY_HIGH_IDLE + 20): a window drawing one
     * frame after another (a pulsing bar, a long input's large image) would
     * otherwise hold the announcement back until the job is over; at most
     * one is queued at a time */
    attn_main_context_add_idle (progress->context, G_PRIORITY_HIGH_IDLE, announce_cb,
                                attn_progress_ref (progress), (GDestroyNotify) attn_progress_unref);
}

/**
 * attn_progress_get_fraction:
 *
 * Returns: the last fraction reported, in [0, 1], or -1 before any report
 */
double
attn_progress_get_fraction (AttnProgress *self)
{
  int steps;

  g_return_val_if_fail (self != NULL, -1.);

  steps = g_atomic_int_get (&self->steps);
  return steps < 0 ? -1. : (double) steps / PROGRESS_STEPS;
}

/**
 * attn_progress_disconnect:
 *
 * No more announcements: call it before the receiver of the changed callback
 * (attn_progress_new()) goes away.
 */
void
attn_progress_disconnect (AttnProgress *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  g_atomic_pointer_set (&self->changed, NULL);
  self->user_data = NULL;
  g_mutex_unlock (&self->mutex);
}

/**
 * attn_main_context_add_idle:
 * @context: the main context @function runs on
 * @priority: the source's priority
 * @function: what to run, once (return %G_SOURCE_REMOVE)
 * @data: its data
 * @notify: (nullable): frees @data after @function ran, or when the source goes
 *
 * Runs @function on @context's thread, from any thread, always later: unlike
 * g_main_context_invoke_full(), which a worker would run itself whenever the
 * context happens to be free.
 */
void
attn_main_context_add_idle (GMainContext   *context,
                            int             priority,
                            GSourceFunc     function,
                            gpointer        data,
                            GDestroyNotify  notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, function, data, notify);
  g_source_set_static_name (source, "[attnflow] main-context idle");
  g_source_attach (source, context);
  g_source_unref (source);
}

/**
 * attn_step_progress_report:
 * @fraction: how far the current step got, in [0, 1]
 *
 * Reports the job's fraction: (step + @fraction) / n_steps.
 */
void
attn_step_progress_report (AttnStepProgress *self,
                           double            fraction)
{
  if (self->func != NULL && self->n_steps > 0)
    self->func ((self->step + CLAMP (fraction, 0., 1.)) / self->n_steps, self->user_data);
}

/**
 * attn_step_progress_flow_cb:
 * @self: an #AttnStepProgress
 *
 * An #AttnFlowPartialFunc: the flow's fraction is the step's.
 */
void
attn_step_progress_flow_cb (guint         layer,
                            guint         position,
                            const double *values,
                            double        fraction,
                            gpointer      self)
{
  attn_step_progress_report (self, fraction);
}
