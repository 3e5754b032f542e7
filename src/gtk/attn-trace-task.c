/* attn-trace-task.c: traces computed off the main thread
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"


#include "attn-trace-task.h"

typedef struct
{
  AttnExample       *example;
  AttnGraph         *graph;
  AttnGraphOptions   options;
  guint             *heads;
  AttnTraceQuery     query;
  AttnProgress *progress;
  AttnTrace         *trace;
} TraceJob;

typedef struct
{
  AttnGraph          *graph;
  AttnTrace          *partial;
  AttnTrace          *trace;
  AttnTraceFunc       layer_done;
  gpointer            layer_data;
  GDestroyNotify      layer_data_free;
  GMainContext       *context;
  AttnProgress  *progress;
  GTask              *task;
} ContinueJob;

typedef struct
{
  AttnTrace          *trace;
  AttnTraceFunc       layer_done;
  gpointer            layer_data;
  GCancellable       *cancellable;
  GTask              *task;
} LayerDelivery;

static void
report_cb (double   fraction,
           gpointer user_data)
{
  if (user_data != NULL)
    attn_progress_report (fraction, user_data);
}

static void
trace_job_free (gpointer data)
{
  TraceJob *job = data;

  g_clear_pointer (&job->example, attn_example_unref);
  g_clear_pointer (&job->graph, attn_graph_unref);
  g_clear_pointer (&job->trace, attn_trace_unref);
  g_clear_pointer (&job->progress, attn_progress_unref);
  g_free (job->heads);
  g_free (job);
}

static void
trace_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TraceJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (job->graph == NULL)
    {
      job->graph = attn_graph_new (job->example, &job->options, cancellable, &error);
      if (job->graph == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  job->trace = attn_trace_compute (job->graph, &job->query, report_cb, job->progress,
                                   cancellable, &error);
  if (job->trace == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * attn_trace_run_async:
 * @example: the example
 * @graph: (nullable): its graph under @options, when already built
 * @options: the graph settings (copied)
 * @query: what to compute (copied)
 * @progress: (nullable): where the job reports its progress
 *
 * Runs attn_trace_compute() on a worker thread, building the graph first
 * when there is none.
 */
void
attn_trace_run_async (AttnExample            *example,
                      AttnGraph              *graph,
                      const AttnGraphOptions *options,
                      const AttnTraceQuery   *query,
                      AttnProgress      *progress,
                      GCancellable           *cancellable,
                      GAsyncReadyCallback     callback,
                      gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  TraceJob *job;

  g_return_if_fail (example != NULL || graph != NULL);
  g_return_if_fail (options != NULL && query != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (TraceJob, 1);
  job->example = example ? attn_example_ref (example) : NULL;
  job->graph = graph ? attn_graph_ref (graph) : NULL;
  job->options = *options;
  if (options->n_heads > 0)
    {
      job->heads = g_memdup2 (options->heads, options->n_heads * sizeof (guint));
      job->options.heads = job->heads;
    }
  job->query = *query;
  job->progress = progress ? attn_progress_ref (progress) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_trace_run_async);
  g_task_set_task_data (task, job, trace_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, trace_worker);
}

/**
 * attn_trace_run_finish:
 * @graph: (out) (optional) (transfer full): the graph the trace was computed on
 *
 * Returns: (transfer full) (nullable): the trace, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled)
 */
AttnTrace *
attn_trace_run_finish (GAsyncResult  *result,
                       AttnGraph    **graph,
                       GError       **error)
{
  TraceJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == attn_trace_run_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (graph != NULL)
    *graph = job->graph ? attn_graph_ref (job->graph) : NULL;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return attn_trace_ref (job->trace);
}

static void
continue_job_free (gpointer data)
{
  ContinueJob *job = data;

  g_clear_pointer (&job->graph, attn_graph_unref);
  g_clear_pointer (&job->partial, attn_trace_unref);
  g_clear_pointer (&job->trace, attn_trace_unref);
  g_clear_pointer (&job->progress, attn_progress_unref);
  if (job->layer_data_free)
    job->layer_data_free (job->layer_data);
  g_main_context_unref (job->context);
  g_free (job);
}

static gboolean
deliver_layer_cb (gpointer data)
{
  LayerDelivery *delivery = data;

  if (!g_cancellable_is_cancelled (delivery->cancellable))
    delivery->layer_done (delivery->trace, delivery->layer_data);
  return G_SOURCE_REMOVE;
}

static void
layer_delivery_free (gpointer data)
{
  LayerDelivery *delivery = data;

  g_clear_pointer (&delivery->trace, attn_trace_unref);
  g_clear_object (&delivery->cancellable);
  g_clear_object (&delivery->task);
  g_free (delivery);
}

/* on the worker: hands the layer to the caller's main context */
static void
layer_done_cb (AttnTrace *trace,
               gpointer   user_data)
{
  ContinueJob *job = user_data;
  LayerDelivery *delivery;
  GCancellable *cancellable = g_task_get_cancellable (job->task);

  if (job->layer_done == NULL)
    return;
  delivery = g_new0 (LayerDelivery, 1);
  delivery->trace = attn_trace_ref (trace);
  delivery->layer_done = job->layer_done;
  delivery->layer_data = job->layer_data;
  delivery->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  /* keeps job->layer_data alive until the delivery ran */
  delivery->task = g_object_ref (job->task);
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_layer_cb,
                              delivery, layer_delivery_free);
}

static void
continue_progress_cb (double   fraction,
                      gpointer user_data)
{
  ContinueJob *job = user_data;

  report_cb (fraction, job->progress);
}

static void
continue_worker (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ContinueJob *job = task_data;
  g_autoptr(GError) error = NULL;

  job->task = task;
  job->trace = attn_trace_continue (job->graph, job->partial, layer_done_cb,
                                    continue_progress_cb, job, cancellable, &error);
  if (job->trace == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * attn_trace_continue_async:
 * @graph: the graph
 * @partial: an un-clicked view to continue (attn_trace_continue())
 * @layer_done: (scope notified) (nullable): called on the caller's main
 *   context after every layer, with the view so far
 * @progress: (nullable): where the job reports its progress
 *
 * Runs attn_trace_continue() on a worker thread.
 */
void
attn_trace_continue_async (AttnGraph          *graph,
                           AttnTrace          *partial,
                           AttnTraceFunc       layer_done,
                           gpointer            layer_data,
                           GDestroyNotify      layer_data_free,
                           AttnProgress  *progress,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ContinueJob *job;

  g_return_if_fail (graph != NULL);
  g_return_if_fail (partial != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ContinueJob, 1);
  job->graph = attn_graph_ref (graph);
  job->partial = attn_trace_ref (partial);
  job->layer_done = layer_done;
  job->layer_data = layer_data;
  job->layer_data_free = layer_data_free;
  job->context = g_main_context_ref_thread_default ();
  job->progress = progress ? attn_progress_ref (progress) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_trace_continue_async);
  g_task_set_task_data (task, job, continue_job_free);
  g_task_run_in_thread (task, continue_worker);
}

/**
 * attn_trace_continue_finish:
 *
 * Returns: (transfer full) (nullable): the complete view, or %NULL with
 *   @error set
 */
AttnTrace *
attn_trace_continue_finish (GAsyncResult  *result,
                            GError       **error)
{
  ContinueJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return attn_trace_ref (job->trace);
}
