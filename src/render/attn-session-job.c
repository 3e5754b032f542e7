/* attn-session-job.c: one computation of the session, on a worker thread
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A job holds a weak reference to its session: dropping the session cancels
 * its jobs, which finish on their own and report to nobody.
 */

#include "config.h"

#include <string.h>

#include "attn-session-private.h"

void
_attn_heat_values_clear (AttnHeatValues *values)
{
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    g_clear_pointer (&values->method[m], g_free);
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    g_clear_pointer (&values->kind[k], g_free);
}

static void
job_clear (gpointer data)
{
  AttnSessionJob *job = data;

  g_weak_ref_clear (&job->session);
  g_clear_object (&job->cancellable);
  /* an announcement still queued must not reach a session that may be gone */
  attn_progress_disconnect (job->progress);
  g_clear_pointer (&job->progress, attn_progress_unref);
  g_main_context_unref (job->context);
  g_free (job->key);
  g_clear_pointer (&job->example, attn_example_unref);
  g_clear_pointer (&job->settings, attn_graph_settings_unref);
  g_clear_pointer (&job->graph, attn_graph_unref);
  g_clear_pointer (&job->partial, attn_trace_unref);
  g_free ((char *) job->scene_options.caption);
  g_strfreev ((char **) job->scene_options.caption_room);
  g_free (job->scene_key);
  _attn_heat_values_clear (&job->heat);
  g_free (job->heat_partial);
  g_free (job->heat_layer_done);
  g_clear_pointer (&job->new_graph, attn_graph_unref);
  g_clear_pointer (&job->trace, attn_trace_unref);
  g_clear_pointer (&job->scene, attn_graph_scene_unref);
}

AttnSessionJob *
_attn_session_job_ref (AttnSessionJob *job)
{
  return g_atomic_rc_box_acquire (job);
}

void
_attn_session_job_unref (AttnSessionJob *job)
{
  g_atomic_rc_box_release_full (job, job_clear);
}

/* A job of @session, reporting its progress to it */
AttnSessionJob *
_attn_session_job_new (AttnSession        *session,
                       AttnSessionJobKind  kind,
                       const char         *key)
{
  AttnSessionJob *job = g_atomic_rc_box_new0 (AttnSessionJob);

  job->kind = kind;
  g_weak_ref_init (&job->session, session);
  job->cancellable = g_cancellable_new ();
  job->progress = attn_progress_new (G_CALLBACK (_attn_session_progress_changed), session);
  job->context = g_main_context_ref_thread_default ();
  job->key = g_strdup (key);
  return job;
}

/* The scene to build: its options (the captions copied) */
void
_attn_session_job_set_scene (AttnSessionJob              *job,
                             const AttnGraphSceneOptions *options,
                             const char                  *caption)
{
  job->scene_options = *options;
  job->scene_options.caption = g_strdup (caption);
  job->scene_options.caption_room = (const char * const *) g_strdupv ((char **) options->caption_room);
  job->scene_key = g_strdup_printf ("%d/%d/%u/%u/%d/%s", options->exclude_special,
                                    options->color_scale, options->first_layer, options->last_layer,
                                    options->weights, caption ? caption : "");
}

static void
job_progress_cb (double   fraction,
                 gpointer user_data)
{
  AttnSessionJob *job = user_data;

  attn_progress_report (fraction, job->progress);
}

/* What a job delivers before it is done: a layer of the un-clicked view
 * (@trace), or the heatmap's layers done so far (@values) */
typedef struct
{
  AttnSessionJob *job;
  AttnTrace      *trace;
  double         *values;
  guint           n_layers;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  _attn_session_job_unref (delivery->job);
  g_clear_pointer (&delivery->trace, attn_trace_unref);
  g_free (delivery->values);
  g_free (delivery);
}

static gboolean
deliver_cb (gpointer data)
{
  Delivery *delivery = data;
  g_autoptr(AttnSession) session = g_weak_ref_get (&delivery->job->session);

  if (session != NULL && delivery->trace != NULL)
    _attn_session_layer_done (session, delivery->job, delivery->trace);
  else if (session != NULL)
    _attn_session_heatmap_layers_done (session, delivery->job,
                                       g_steal_pointer (&delivery->values), delivery->n_layers);
  return G_SOURCE_REMOVE;
}

/* on the worker: hands @trace (taken) or @values (taken) to the session */
static void
deliver (AttnSessionJob *job,
         AttnTrace      *trace,
         double         *values,
         guint           n_layers)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->job = _attn_session_job_ref (job);
  delivery->trace = trace;
  delivery->values = values;
  delivery->n_layers = n_layers;
  attn_main_context_add_idle (job->context, G_PRIORITY_DEFAULT, deliver_cb, delivery,
                              delivery_free);
}

/* on the worker: a layer of the un-clicked view is ready */
static void
layer_done_cb (AttnTrace *trace,
               gpointer   user_data)
{
  deliver (user_data, attn_trace_ref (trace), NULL, 0);
}

/* on the worker, one call at a time: flow's heatmap reports its layers as
 * they complete (bottom first); the layers done from the bottom up go to the
 * session, so that the heatmap fills in while the rest is computed */
static void
heat_partial_cb (guint         layer,
                 guint         position,
                 const double *values,
                 double        fraction,
                 gpointer      user_data)
{
  AttnSessionJob *job = user_data;
  guint L = attn_graph_get_n_layers (job->graph), n = attn_graph_get_n_tokens (job->graph);
  guint done = job->heat_layers;

  job_progress_cb (fraction, job);
  if (values == NULL || layer < 1 || layer > L)
    return;
  memcpy (job->heat_partial + (gsize) (layer - 1) * n, values, n * sizeof (double));
  job->heat_layer_done[layer - 1] = TRUE;
  while (done < L && job->heat_layer_done[done])
    done++;
  if (done == job->heat_layers || done == L)
    return;   /* nothing new from the bottom up, or the whole: the job's result */
  job->heat_layers = done;
  deliver (job, NULL, g_memdup2 (job->heat_partial, (gsize) L * n * sizeof (double)), done);
}

static gboolean
compute_heatmap (AttnSessionJob  *job,
                 GCancellable    *cancellable,
                 GError         **error)
{
  gsize size = (gsize) attn_graph_get_n_layers (job->graph) * attn_graph_get_n_tokens (job->graph);
  AttnFlowOptions options = { FALSE, 0, NULL, NULL };

  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      if (!job->wanted[m] || job->heat.method[m] != NULL)
        continue;
      job->heat.method[m] = g_new (double, size);
      if (m == ATTN_METHOD_FLOW)
        {
          options.partial = heat_partial_cb;
          options.user_data = job;
          job->heat_partial = g_new0 (double, size);
          job->heat_layer_done = g_new0 (gboolean, attn_graph_get_n_layers (job->graph));
        }
      if (!attn_method_importance (m, job->graph, 0, job->query.heat_position, &options,
                                   job->heat.method[m], cancellable, error))
        return FALSE;
      options.partial = NULL;
      job->n_computed++;
    }
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    {
      g_autoptr(AttnGraphSettings) settings = NULL;
      g_autoptr(AttnGraph) graph = NULL;

      if (!job->kind_wanted[k] || job->heat.kind[k] != NULL)
        continue;
      if (k == attn_graph_get_weights (job->graph) && job->heat.method[job->query.method] != NULL)
        {
          job->heat.kind[k] = g_memdup2 (job->heat.method[job->query.method], size * sizeof (double));
          continue;
        }
      if (k == attn_graph_get_weights (job->graph))
        graph = attn_graph_ref (job->graph);
      else
        {
          settings = attn_graph_settings_copy_with_weights (job->settings, k);
          graph = attn_graph_new_from_settings (job->example, settings, cancellable, error);
          if (graph == NULL)
            return FALSE;
        }
      job->heat.kind[k] = g_new (double, size);
      if (!attn_method_importance (job->query.method, graph, 0, job->query.heat_position, &options,
                                   job->heat.kind[k], cancellable, error))
        return FALSE;
      job->n_computed++;
    }
  return TRUE;
}

static gboolean
run (AttnSessionJob  *job,
     GCancellable    *cancellable,
     GError         **error)
{
  switch (job->kind)
    {
    case ATTN_SESSION_JOB_GRAPH:
      job->new_graph = attn_graph_new_from_settings (job->example, job->settings, cancellable, error);
      return job->new_graph != NULL;
    case ATTN_SESSION_JOB_TRACE:
      job->trace = attn_trace_compute (job->graph, &job->query, job_progress_cb, job, cancellable,
                                       error);
      if (job->trace == NULL)
        return FALSE;
      job->scene = attn_graph_scene_new_from_trace (job->trace, job->example, &job->scene_options);
      return TRUE;
    case ATTN_SESSION_JOB_EVERY_NODE:
      job->trace = attn_trace_continue (job->graph, job->partial, layer_done_cb, job_progress_cb,
                                        job, cancellable, error);
      return job->trace != NULL;
    case ATTN_SESSION_JOB_SCENE:
      job->scene = attn_graph_scene_new_from_trace (job->partial, job->example, &job->scene_options);
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    case ATTN_SESSION_JOB_HEATMAP:
      return compute_heatmap (job, cancellable, error);
    case ATTN_SESSION_JOB_ESTIMATE:
      job->estimate = attn_flow_measure_every_node (job->graph, ATTN_FLOW_MEASURE_BUDGET, cancellable, error);
      return job->estimate >= 0.;
    case ATTN_SESSION_N_JOBS:
    default:
      g_assert_not_reached ();
    }
}

static void
worker (GTask        *task,
        gpointer      source_object,
        gpointer      task_data,
        GCancellable *cancellable)
{
  GError *error = NULL;

  if (run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AttnSessionJob) job = user_data;
  g_autoptr(AttnSession) session = g_weak_ref_get (&job->session);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (session != NULL)
    _attn_session_job_done (session, job, error);
}

/* Runs @job on a worker thread; its session hears of it when it is done */
void
_attn_session_job_run (AttnSessionJob *job)
{
  attn_task_run_in_thread (_attn_session_job_run, _attn_session_job_ref (job),
                           (GDestroyNotify) _attn_session_job_unref, worker, job->cancellable,
                           done_cb, _attn_session_job_ref (job));
}

void
_attn_session_job_cancel (AttnSessionJob *job)
{
  g_cancellable_cancel (job->cancellable);
  attn_progress_disconnect (job->progress);
}
