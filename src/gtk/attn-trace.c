/* attn-trace.c: the computations behind a click, run off the main thread
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "attn-trace.h"

typedef struct
{
  AttnExample      *example;
  AttnGraph        *graph;
  AttnGraphOptions  options;
  guint            *heads;
  AttnMethod        method;
  guint             layer;
  guint             position;
  int               sink;
  guint             heat_position;
  AttnTrace        *trace;
  gint             *permille;
} TraceJob;

typedef struct
{
  AttnGraph          *graph;
  AttnTrace          *partial;
  guint               heat_position;
  AttnTraceLayerFunc  layer_done;
  gpointer            layer_data;
  GDestroyNotify      layer_data_free;
  GMainContext       *context;
  gint               *permille;
} ConventionJob;

typedef struct
{
  AttnTrace          *trace;
  AttnTraceLayerFunc  layer_done;
  gpointer            layer_data;
  GCancellable       *cancellable;
  GTask              *task;
} LayerDelivery;

AttnTrace *
attn_trace_new (AttnMethod method,
                guint      layer,
                guint      position,
                int        sink,
                guint      heat_position,
                guint      n_layers,
                guint      n_tokens)
{
  AttnTrace *self = g_new0 (AttnTrace, 1);
  gsize n_edges = (gsize) n_layers * n_tokens * n_tokens;

  g_atomic_ref_count_init (&self->ref_count);
  self->method = method;
  self->layer = layer;
  self->position = position;
  self->sink = sink;
  self->heat_position = heat_position;
  self->n_layers = n_layers;
  self->n_tokens = n_tokens;
  self->layers_done = n_layers;
  self->edges = g_new0 (double, n_edges);
  self->heatmap = g_new0 (double, (gsize) n_layers * n_tokens);

  return self;
}

AttnTrace *
attn_trace_copy (const AttnTrace *self)
{
  AttnTrace *copy;
  gsize n_edges;

  g_return_val_if_fail (self != NULL, NULL);

  copy = attn_trace_new (self->method, self->layer, self->position, self->sink,
                         self->heat_position, self->n_layers, self->n_tokens);
  n_edges = (gsize) self->n_layers * self->n_tokens * self->n_tokens;
  memcpy (copy->edges, self->edges, n_edges * sizeof (double));
  memcpy (copy->heatmap, self->heatmap, (gsize) self->n_layers * self->n_tokens * sizeof (double));
  copy->layers_done = self->layers_done;

  return copy;
}

AttnTrace *
attn_trace_ref (AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
attn_trace_unref (AttnTrace *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->edges);
      g_free (self->heatmap);
      g_free (self);
    }
}

/**
 * attn_trace_get_node_values:
 *
 * Returns: (nullable): the n importance values of the inputs for the
 *   selected node, or %NULL when no node is selected
 */
const double *
attn_trace_get_node_values (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->layer == 0 || self->position != self->heat_position)
    return NULL;
  return self->heatmap + (gsize) (self->layer - 1) * self->n_tokens;
}

static void
fill_heatmap_row (AttnTrace *trace,
                  guint      layer)
{
  gsize n = trace->n_tokens;

  memcpy (trace->heatmap + (layer - 1) * n,
          trace->edges + (layer - 1) * n * n + trace->heat_position * n,
          n * sizeof (double));
}

/**
 * attn_trace_compute:
 * @graph: the example's graph
 * @method: raw, rollout or flow
 * @layer: 1..L for a selected node, 0 for none (the convention)
 * @position: the selected node's position (ignored when @layer is 0)
 * @sink: an input token to restrict the paths to, or -1
 * @heat_position: the position whose importance per layer fills the heatmap
 *
 * Synchronous; called from a worker. The flow convention (@layer 0 with
 * %ATTN_METHOD_FLOW) is computed in full; the application uses
 * attn_trace_flow_convention_async() to draw it progressively instead.
 *
 * Returns: (transfer full) (nullable): the trace, or %NULL with @error set
 */
typedef struct
{
  gint   *permille;
  double  base;
  double  span;
} Progress;

static void
progress_cb (guint         layer,
             guint         position,
             const double *values,
             double        fraction,
             gpointer      user_data)
{
  Progress *progress = user_data;

  if (progress->permille != NULL)
    g_atomic_int_set (progress->permille,
                      (int) (1000. * (progress->base + progress->span * fraction)));
}

static void
store_layer_cb (guint         layer,
                const double *values,
                gpointer      user_data)
{
  AttnTrace *trace = user_data;
  gsize nn = (gsize) trace->n_tokens * trace->n_tokens;

  memcpy (trace->edges + (layer - 1) * nn, values, nn * sizeof (double));
}

static AttnTrace *compute_trace (AttnGraph    *graph,
                                 AttnMethod    method,
                                 guint         layer,
                                 guint         position,
                                 int           sink,
                                 guint         heat_position,
                                 gint         *permille,
                                 GCancellable *cancellable,
                                 GError      **error);

AttnTrace *
attn_trace_compute (AttnGraph    *graph,
                    AttnMethod    method,
                    guint         layer,
                    guint         position,
                    int           sink,
                    guint         heat_position,
                    GCancellable *cancellable,
                    GError      **error)
{
  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  return compute_trace (graph, method, layer, position, sink, heat_position, NULL,
                        cancellable, error);
}

static AttnTrace *
compute_trace (AttnGraph    *graph,
               AttnMethod    method,
               guint         layer,
               guint         position,
               int           sink,
               guint         heat_position,
               gint         *permille,
               GCancellable *cancellable,
               GError      **error)
{
  /* a flow click: its node's flow, then the edge flows (about 3x the work) */
  Progress node_progress = { permille, 0., 0.25 };
  Progress edges_progress = { permille, 0.25, 0.75 };
  g_autoptr(AttnTrace) trace = NULL;
  guint n, n_layers;

  n = attn_graph_get_n_tokens (graph);
  n_layers = attn_graph_get_n_layers (graph);

  if (layer > n_layers || (layer > 0 && position >= n) || heat_position >= n ||
      sink >= (int) n)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Node (layer %u, position %u) is outside the graph of %u layers and %u tokens"),
                   layer, position, n_layers, n);
      return NULL;
    }

  trace = attn_trace_new (method, layer, layer > 0 ? position : 0, layer > 0 ? sink : -1,
                          heat_position, n_layers, n);

  if (layer > 0 && method == ATTN_METHOD_FLOW && heat_position == position)
    {
      /* only the selected node's own row: every layer's flow (the heatmap panel's job) costs
       * L times more and would hold the click's result back */
      AttnFlowOptions options = { FALSE, 0, progress_cb, &node_progress };

      if (!attn_method_importance (method, graph, layer, position, &options,
                                   trace->heatmap + (gsize) (layer - 1) * n, cancellable, error))
        return NULL;
    }
  else if ((layer > 0 || method == ATTN_METHOD_RAW) &&
           !attn_method_importance (method, graph, 0, heat_position, NULL, trace->heatmap,
                                    cancellable, error))
    return NULL;

  if (layer == 0)
    {
      /* every node's importance on its edges: R_l[q][k] on edge (l, q) -> (l-1, k) */
      Progress progress = { permille, 0., 1. };
      AttnFlowOptions options = { FALSE, 0, progress_cb, &progress };

      if (!attn_method_every_node (method, graph, 1, 0, &options, store_layer_cb, trace,
                                   cancellable, error))
        return NULL;
    }
  else
    {
      AttnFlowOptions options = { FALSE, 0, progress_cb, &edges_progress };

      if (!attn_method_edges (method, graph, layer, position, sink, &options, trace->edges,
                              cancellable, error))
        return NULL;
    }

  /* In the convention, the heatmap is the row of the edges at heat_position */
  if (layer == 0 && method != ATTN_METHOD_RAW)
    for (guint l = 1; l <= n_layers; l++)
      fill_heatmap_row (trace, l);

  return g_steal_pointer (&trace);
}

static void
trace_job_free (gpointer data)
{
  TraceJob *job = data;

  g_clear_pointer (&job->example, attn_example_unref);
  g_clear_pointer (&job->graph, attn_graph_unref);
  g_clear_pointer (&job->trace, attn_trace_unref);
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

  job->trace = compute_trace (job->graph, job->method, job->layer, job->position,
                              job->sink, job->heat_position, job->permille, cancellable, &error);
  if (job->trace == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * attn_trace_run_async:
 * @request: what to compute; copied, so it may be freed on return
 *
 * Runs attn_trace_compute() on a worker thread, building the graph first
 * when @request has none.
 */
void
attn_trace_run_async (const AttnTraceRequest *request,
                      GCancellable           *cancellable,
                      GAsyncReadyCallback     callback,
                      gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  TraceJob *job;

  g_return_if_fail (request != NULL);
  g_return_if_fail (request->example != NULL || request->graph != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (TraceJob, 1);
  job->example = request->example ? attn_example_ref (request->example) : NULL;
  job->graph = request->graph ? attn_graph_ref (request->graph) : NULL;
  job->options = request->options;
  if (request->options.n_heads > 0)
    {
      job->heads = g_memdup2 (request->options.heads, request->options.n_heads * sizeof (guint));
      job->options.heads = job->heads;
    }
  job->method = request->method;
  job->layer = request->layer;
  job->position = request->position;
  job->sink = request->sink;
  job->heat_position = request->heat_position;
  if (cancellable != NULL)
    {
      /* owned by the cancellable, which the task keeps alive */
      job->permille = g_new0 (gint, 1);
      g_object_set_data_full (G_OBJECT (cancellable), "attn-trace-progress", job->permille, g_free);
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_trace_run_async);
  g_task_set_task_data (task, job, trace_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, trace_worker);
}

/**
 * attn_trace_get_progress:
 * @cancellable: the cancellable a job was started with by attn_trace_run_async()
 *   or attn_trace_flow_convention_async()
 *
 * Returns: the fraction of that job done, in [0, 1], as far as it reports
 *   progress (flow does; rollout is too quick to), or -1 when it does not
 */
double
attn_trace_get_progress (GCancellable *cancellable)
{
  gint *permille;
  int value;

  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), -1.);

  permille = cancellable ? g_object_get_data (G_OBJECT (cancellable), "attn-trace-progress") : NULL;
  if (permille == NULL || (value = g_atomic_int_get (permille)) <= 0)
    return -1.;
  return MIN (value, 1000) / 1000.;
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
convention_job_free (gpointer data)
{
  ConventionJob *job = data;

  g_clear_pointer (&job->graph, attn_graph_unref);
  g_clear_pointer (&job->partial, attn_trace_unref);
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
    delivery->layer_done (g_steal_pointer (&delivery->trace), delivery->layer_data);
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

typedef struct
{
  GTask         *task;
  ConventionJob *job;
  GCancellable  *cancellable;
} ConventionRun;

static void
convention_layer_cb (guint         layer,
                     const double *values,
                     gpointer      user_data)
{
  ConventionRun *run = user_data;
  ConventionJob *job = run->job;
  AttnTrace *trace = job->partial;

  store_layer_cb (layer, values, trace);
  trace->layers_done = layer;
  fill_heatmap_row (trace, layer);

  if (job->layer_done != NULL)
    {
      LayerDelivery *delivery = g_new0 (LayerDelivery, 1);

      delivery->trace = attn_trace_copy (trace);
      delivery->layer_done = job->layer_done;
      delivery->layer_data = job->layer_data;
      delivery->cancellable = run->cancellable ? g_object_ref (run->cancellable)
                                               : g_cancellable_new ();
      /* keeps job->layer_data alive until the delivery ran */
      delivery->task = g_object_ref (run->task);
      g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_layer_cb,
                                  delivery, layer_delivery_free);
    }
}

static void
convention_worker (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ConventionJob *job = task_data;
  AttnTrace *trace = job->partial;
  guint first = trace->layers_done + 1;
  /* the progress of the whole view, layers done before included */
  Progress progress = { job->permille, (double) (first - 1) / trace->n_layers,
                        (double) (trace->n_layers - first + 1) / trace->n_layers };
  AttnFlowOptions options = { FALSE, 0, progress_cb, &progress };
  ConventionRun run = { task, job, cancellable };
  g_autoptr(GError) error = NULL;

  if (first <= trace->n_layers &&
      !attn_method_every_node (ATTN_METHOD_FLOW, job->graph, first, 0, &options,
                               convention_layer_cb, &run, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * attn_trace_flow_convention_async:
 * @graph: the graph
 * @partial: (transfer none): a flow convention trace to continue; its first
 *   @layers_done layers are kept. A copy is made.
 * @layer_done: (scope notified) (nullable): called after every layer
 *
 * Computes the paper's flow convention (every node of every layer to the
 * inputs), bottom layer first, delivering every completed layer. Cancelling
 * it keeps nothing but what was delivered: pass the last delivered trace as
 * @partial to resume.
 */
void
attn_trace_flow_convention_async (AttnGraph          *graph,
                                  AttnTrace          *partial,
                                  guint               heat_position,
                                  AttnTraceLayerFunc  layer_done,
                                  gpointer            layer_data,
                                  GDestroyNotify      layer_data_free,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ConventionJob *job;

  g_return_if_fail (graph != NULL);
  g_return_if_fail (partial != NULL);
  g_return_if_fail (partial->method == ATTN_METHOD_FLOW && partial->layer == 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ConventionJob, 1);
  job->graph = attn_graph_ref (graph);
  job->partial = attn_trace_copy (partial);
  job->heat_position = heat_position;
  job->layer_done = layer_done;
  job->layer_data = layer_data;
  job->layer_data_free = layer_data_free;
  job->context = g_main_context_ref_thread_default ();
  if (cancellable != NULL)
    {
      /* read with attn_trace_get_progress(); owned by the cancellable */
      job->permille = g_new0 (gint, 1);
      g_object_set_data_full (G_OBJECT (cancellable), "attn-trace-progress", job->permille, g_free);
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, attn_trace_flow_convention_async);
  g_task_set_task_data (task, job, convention_job_free);
  g_task_run_in_thread (task, convention_worker);
}

/**
 * attn_trace_flow_convention_finish:
 *
 * Returns: (transfer full) (nullable): the complete convention, or %NULL
 *   with @error set
 */
AttnTrace *
attn_trace_flow_convention_finish (GAsyncResult  *result,
                                   GError       **error)
{
  ConventionJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return attn_trace_copy (job->partial);
}
