/* attn-trace.c: what the graph and the heatmap show for a method and a selection
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-error.h"
#include "attn-rollout.h"
#include "attn-sparse-edges.h"
#include "attn-trace-private.h"
#include "attn-trace.h"

/* A flow click computes its node's flow, then the edge flows (about 3x the
 * work): the progress splits there. */
#define FLOW_NODE_SHARE 0.25

/* From this many tokens on, the traces that a long input would hold as L
 * full-size matrices of doubles are kept smaller (attn-trace.h) */
static guint compact_min = ATTN_TRACE_COMPACT_MIN_TOKENS;
/* attn_trace_compute()'s calls, for the tests (_attn_trace_get_n_computed()) */
static int n_computed;

struct _AttnTrace
{
  AttnTraceQuery  query;
  guint           n_layers;
  guint           n_tokens;
  guint           layers_done;       /* layers computed, from the bottom */
  gboolean        compact;           /* n >= compact_min */
  GBytes        **edges;             /* L; NULL while pending or in @shares; n·n doubles,
                                      * or floats (a compact un-clicked rollout view) */
  double         *shares;            /* a compact rollout click: P_l, its layer·n values,
                                      * instead of @edges */
  GBytes        **sparse;            /* a compact flow click: L layers of the edges that
                                      * carry flow (attn-sparse-edges.h), instead of @edges;
                                      * a compact raw click: its position's rows */
  AttnGraph      *graph;             /* with @shares or float edges: the graph of the trace */
  GBytes         *top;               /* float edges, while layers are pending: the last layer
                                      * done as doubles, where the computation goes on */
  double         *heatmap;           /* L * n */
  gboolean        heatmap_complete;  /* every row, not only the selected node's */
};

G_DEFINE_BOXED_TYPE (AttnTrace, attn_trace, attn_trace_ref, attn_trace_unref)

static void
trace_clear (gpointer data)
{
  AttnTrace *self = data;

  for (guint l = 0; l < self->n_layers; l++)
    {
      g_clear_pointer (&self->edges[l], g_bytes_unref);
      if (self->sparse != NULL)
        g_clear_pointer (&self->sparse[l], g_bytes_unref);
    }
  g_free (self->edges);
  g_free (self->sparse);
  g_free (self->shares);
  g_clear_pointer (&self->graph, attn_graph_unref);
  g_clear_pointer (&self->top, g_bytes_unref);
  g_free (self->heatmap);
}

AttnTrace *
attn_trace_ref (AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
attn_trace_unref (AttnTrace *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, trace_clear);
}

static AttnTrace *
trace_new (const AttnTraceQuery *query,
           guint                 n_layers,
           guint                 n_tokens)
{
  AttnTrace *self = g_atomic_rc_box_new0 (AttnTrace);

  self->query = *query;
  if (query->layer == 0)
    {
      self->query.position = 0;
      self->query.sink = -1;
    }
  self->n_layers = n_layers;
  self->n_tokens = n_tokens;
  self->compact = n_tokens >= compact_min;
  self->edges = g_new0 (GBytes *, n_layers);
  self->heatmap = g_new0 (double, (gsize) n_layers * n_tokens);
  return self;
}

/* A new trace sharing @self's layers: what a progressive computation publishes */
static AttnTrace *
trace_snapshot (const AttnTrace *self)
{
  AttnTrace *copy = trace_new (&self->query, self->n_layers, self->n_tokens);

  for (guint l = 0; l < self->n_layers; l++)
    copy->edges[l] = self->edges[l] ? g_bytes_ref (self->edges[l]) : NULL;
  memcpy (copy->heatmap, self->heatmap, (gsize) self->n_layers * self->n_tokens * sizeof (double));
  copy->layers_done = self->layers_done;
  copy->heatmap_complete = self->heatmap_complete;
  copy->graph = self->graph ? attn_graph_ref (self->graph) : NULL;
  copy->top = self->top ? g_bytes_ref (self->top) : NULL;
  return copy;
}

/* Takes @edges (L·n·n values) as the trace's layers, one slice each */
static void
trace_take_edges (AttnTrace *self,
                  double    *edges)
{
  gsize layer_size = (gsize) self->n_tokens * self->n_tokens * sizeof (double);
  g_autoptr(GBytes) all = g_bytes_new_take (edges, self->n_layers * layer_size);

  for (guint l = 0; l < self->n_layers; l++)
    self->edges[l] = g_bytes_new_from_bytes (all, l * layer_size, layer_size);
}

/* @trace with all its layers (its edges, in one form or another, are
 * there): the end reported to @progress. Returns @trace. */
static AttnTrace *
trace_finished (AttnTrace        *trace,
                AttnProgressFunc  progress,
                gpointer          user_data)
{
  trace->layers_done = trace->n_layers;
  if (progress != NULL)
    progress (1., user_data);
  return trace;
}

/* Whether the un-clicked view of @self keeps its layers as floats: a long
 * input's rollout or raw attention (each double read again from the graph
 * when asked for; flow's would be hours of work: doubles, as computed) */
static gboolean
stores_floats (const AttnTrace *self)
{
  return self->compact && self->query.layer == 0 && self->query.method != ATTN_METHOD_FLOW;
}

/* Layer @layer of an un-clicked view, @values (n·n doubles) as computed:
 * kept as they are, or as floats; its heatmap row (its edges out of the
 * heat position) as computed either way */
static void
store_layer (AttnTrace    *self,
             guint         layer,
             const double *values)
{
  gsize n = self->n_tokens, nn = n * n;

  memcpy (self->heatmap + (layer - 1) * n, values + self->query.heat_position * n,
          n * sizeof (double));
  if (stores_floats (self))
    {
      float *f = g_new (float, nn);

      for (gsize i = 0; i < nn; i++)
        f[i] = (float) values[i];
      self->edges[layer - 1] = g_bytes_new_take (f, nn * sizeof (float));
      g_clear_pointer (&self->top, g_bytes_unref);
      /* rollout goes on from it: R_l = Â_l R_l-1 */
      if (layer < self->n_layers && self->query.method == ATTN_METHOD_ROLLOUT)
        self->top = g_bytes_new (values, nn * sizeof (double));
    }
  else
    self->edges[layer - 1] = g_bytes_new (values, nn * sizeof (double));
}

/* Progress: a part of a job, [base, base + span] of the whole */
typedef struct
{
  AttnProgressFunc  func;
  gpointer          user_data;
  double            base;
  double            span;
} Progress;

static void
progress_cb (guint         layer,
             guint         position,
             const double *values,
             double        fraction,
             gpointer      user_data)
{
  Progress *progress = user_data;

  if (progress->func != NULL)
    progress->func (progress->base + progress->span * fraction, progress->user_data);
}

static gboolean
check_query (AttnGraph             *graph,
             const AttnTraceQuery  *query,
             GError               **error)
{
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);

  if (query->method >= ATTN_N_METHODS || query->layer > L || query->heat_position >= n ||
      (query->layer > 0 && (query->position >= n || query->sink >= (int) n)))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Node (layer %u, position %u) is outside the graph of %u layers and %u tokens"),
                   query->layer, query->position, L, n);
      return FALSE;
    }
  return TRUE;
}

/* A compact raw click's edges, the only ones attn_method_edges() does not
 * leave at 0: row @position of W_l at the layers up to @layer, the same
 * doubles, as sparse layers (%NULL past the sums' index range) */
static GBytes **
raw_edges_sparse (AttnGraph *graph,
                  guint      layer,
                  guint      position)
{
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  g_autoptr(AttnEdgeSums) sums = NULL;
  g_autofree double *row = NULL;

  if ((guint64) L * n * n >= G_MAXUINT32)
    return NULL;
  sums = _attn_edge_sums_new (L, n, 0);
  row = g_new (double, n);
  for (guint l = 1; l <= layer; l++)
    {
      attn_graph_read_mixed_row (graph, l, position, row);
      for (guint k = 0; k < n; k++)
        if (row[k] != 0.)
          _attn_edge_sums_add (sums, (guint32) (((guint64) (l - 1) * n + position) * n + k), row[k]);
    }
  return _attn_edge_sums_to_layers (sums);
}

/* A selected node: its importance (the heatmap), then its edges */
static AttnTrace *
compute_selection (AttnGraph             *graph,
                   const AttnTraceQuery  *query,
                   AttnProgressFunc       progress,
                   gpointer               user_data,
                   GCancellable          *cancellable,
                   GError               **error)
{
  g_autoptr(AttnTrace) trace = trace_new (query, attn_graph_get_n_layers (graph),
                                          attn_graph_get_n_tokens (graph));
  guint n = trace->n_tokens;
  Progress node_progress = { progress, user_data, 0., FLOW_NODE_SHARE };
  Progress edges_progress = { progress, user_data, FLOW_NODE_SHARE, 1. - FLOW_NODE_SHARE };
  AttnFlowOptions options = { FALSE, 0, progress_cb, &node_progress };
  g_autofree double *edges = NULL;

  if (query->method == ATTN_METHOD_FLOW && query->heat_position == query->position)
    {
      /* only the selected node's own row: every layer's flow (the heatmap's
       * work) costs L times more and would hold the click's result back */
      if (!attn_method_importance (query->method, graph, query->layer, query->position, &options,
                                   trace->heatmap + (gsize) (query->layer - 1) * n,
                                   cancellable, error))
        return NULL;
    }
  else
    {
      if (!attn_method_importance (query->method, graph, 0, query->heat_position, NULL,
                                   trace->heatmap, cancellable, error))
        return NULL;
      trace->heatmap_complete = TRUE;
    }

  if (query->method == ATTN_METHOD_ROLLOUT && query->sink < 0 && trace->compact)
    {
      /* the edges are P_l[q] Â_l[q][k]: P and the graph hold them */
      trace->shares = g_new (double, (gsize) query->layer * n);
      if (!attn_rollout_path_shares (graph, query->layer, query->position, trace->shares,
                                     cancellable, error))
        return NULL;
      trace->graph = attn_graph_ref (graph);
      return trace_finished (g_steal_pointer (&trace), progress, user_data);
    }

  /* L·n·n doubles (384 MiB at n = 2048) for L rows of values */
  if (trace->compact && query->method == ATTN_METHOD_RAW &&
      (trace->sparse = raw_edges_sparse (graph, query->layer, query->position)) != NULL)
    {
      return trace_finished (g_steal_pointer (&trace), progress, user_data);
    }

  options.user_data = &edges_progress;
  if (trace->compact && query->method == ATTN_METHOD_FLOW)
    {
      GError *local = NULL;

      /* the edges that carry flow, summed with no L·n·n array */
      trace->sparse = _attn_flow_edges_sparse (graph, query->layer, query->position, query->sink, &options,
                                               cancellable, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      if (trace->sparse != NULL)
        {
          return trace_finished (g_steal_pointer (&trace), progress, user_data);
        }
    }

  edges = g_try_new (double, (gsize) trace->n_layers * n * n);
  if (edges == NULL)
    {
      g_autofree char *size = attn_error_format_size ((guint64) trace->n_layers * n * n * sizeof (double));

      /* translators: %s is a size such as "1.6 GiB" */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   _("Not enough memory for the edges of the graph (%s)"), size);
      return NULL;
    }
  if (!attn_method_edges (query->method, graph, query->layer, query->position, query->sink,
                          &options, edges, cancellable, error))
    return NULL;
  trace_take_edges (trace, g_steal_pointer (&edges));
  return trace_finished (g_steal_pointer (&trace), progress, user_data);
}

/**
 * attn_trace_compute:
 * @graph: the example's graph
 * @query: what to show
 * @progress: (nullable) (scope call): the fraction done (flow reports it;
 *   the other methods are too quick to)
 * @user_data: closure for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes a trace synchronously (call it from a worker thread): with a
 * selected node, its importance at every layer (a flow click: only its own
 * layer) and its edges; without, every node's importance, every layer
 * (L·n·n max-flows for flow: attn_trace_continue() delivers them layer by
 * layer instead).
 *
 * Returns: (transfer full) (nullable): the trace, or %NULL with @error set
 */
AttnTrace *
attn_trace_compute (AttnGraph             *graph,
                    const AttnTraceQuery  *query,
                    AttnProgressFunc       progress,
                    gpointer               user_data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_autoptr(AttnTrace) pending = NULL;

  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  g_atomic_int_inc (&n_computed);
  if (!check_query (graph, query, error))
    return NULL;
  if (query->layer > 0)
    return compute_selection (graph, query, progress, user_data, cancellable, error);

  pending = attn_trace_new_pending (query->method, query->heat_position,
                                    attn_graph_get_n_layers (graph), attn_graph_get_n_tokens (graph));
  return attn_trace_continue (graph, pending, NULL, progress, user_data, cancellable, error);
}

/**
 * attn_trace_new_pending:
 * @method: the method
 * @heat_position: the position of the heatmap
 * @n_layers: L
 * @n_tokens: n
 *
 * Returns: (transfer full): an un-clicked view with no layer computed yet,
 *   what is shown while the first layer is computed, and where
 *   attn_trace_continue() starts
 */
AttnTrace *
attn_trace_new_pending (AttnMethod method,
                        guint      heat_position,
                        guint      n_layers,
                        guint      n_tokens)
{
  AttnTraceQuery query = ATTN_TRACE_QUERY_INIT;

  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);
  g_return_val_if_fail (n_layers > 0 && n_tokens > 0, NULL);
  g_return_val_if_fail (heat_position < n_tokens, NULL);

  query.method = method;
  query.heat_position = heat_position;
  return trace_new (&query, n_layers, n_tokens);
}

/* R_@first-1 as doubles, where rollout goes on at layer @first */
static const double *
layer_below (const AttnTrace *partial,
             guint            first)
{
  if (attn_trace_get_layer_edges (partial, first - 1) != NULL)
    return attn_trace_get_layer_edges (partial, first - 1);
  return partial->top ? g_bytes_get_data (partial->top, NULL) : NULL;
}

typedef struct
{
  AttnTrace     *trace;       /* the one being filled, never published */
  AttnTraceFunc  layer_done;
  gpointer       user_data;
} Continuation;

static void
store_layer_cb (guint         layer,
                const double *values,
                gpointer      user_data)
{
  Continuation *c = user_data;
  AttnTrace *trace = c->trace;

  store_layer (trace, layer, values);
  trace->layers_done = layer;
  trace->heatmap_complete = layer == trace->n_layers;
  if (c->layer_done != NULL)
    {
      g_autoptr(AttnTrace) snapshot = trace_snapshot (trace);

      c->layer_done (snapshot, c->user_data);
    }
}

/**
 * attn_trace_continue:
 * @graph: the graph @partial belongs to
 * @partial: an un-clicked view (from attn_trace_new_pending() or an earlier
 *   layer_done call): its layers are kept
 * @layer_done: (nullable) (scope call): each further layer, as a new trace
 * @progress: (nullable) (scope call): the fraction of the whole view done
 * @user_data: closure for @layer_done and @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes the layers of an un-clicked view that @partial lacks, bottom
 * first (rollout goes on from @partial's last layer: R_l = Â_l R_l-1, the
 * numbers of attn_rollout_matrices()). Cancelled, it keeps nothing but what it delivered: pass the last
 * delivered trace to resume.
 *
 * Returns: (transfer full) (nullable): the complete view, or %NULL with
 *   @error set
 */
AttnTrace *
attn_trace_continue (AttnGraph         *graph,
                     AttnTrace         *partial,
                     AttnTraceFunc      layer_done,
                     AttnProgressFunc   progress,
                     gpointer           user_data,
                     GCancellable      *cancellable,
                     GError           **error)
{
  guint L, first;
  Progress whole = { progress, user_data, 0., 1. };
  AttnFlowOptions options = { FALSE, 0, progress_cb, &whole };
  Continuation c = { NULL, layer_done, user_data };

  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (partial != NULL && partial->query.layer == 0, NULL);
  g_return_val_if_fail (partial->n_layers == attn_graph_get_n_layers (graph), NULL);
  g_return_val_if_fail (partial->n_tokens == attn_graph_get_n_tokens (graph), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  L = partial->n_layers;
  first = partial->layers_done + 1;
  if (first > L)
    return attn_trace_ref (partial);

  /* the progress of the whole view, the layers done before included */
  whole.base = (double) (first - 1) / L;
  whole.span = (double) (L - first + 1) / L;
  c.trace = trace_snapshot (partial);
  if (stores_floats (c.trace) && c.trace->graph == NULL)
    c.trace->graph = attn_graph_ref (graph);
  if (partial->query.method == ATTN_METHOD_ROLLOUT
      ? !attn_rollout_layers (graph, first, L, first > 1 ? layer_below (partial, first) : NULL,
                              store_layer_cb, &c, cancellable, error)
      : !attn_method_every_node (partial->query.method, graph, first, 0, &options, store_layer_cb,
                                 &c, cancellable, error))
    {
      attn_trace_unref (c.trace);
      return NULL;
    }
  if (progress != NULL)
    progress (1., user_data);
  return c.trace;
}

/**
 * attn_trace_get_query:
 * @query: (out caller-allocates): what the trace shows; without a
 *   selection, position 0 and sink -1
 */
void
attn_trace_get_query (const AttnTrace *self,
                      AttnTraceQuery  *query)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (query != NULL);

  *query = self->query;
}

AttnMethod
attn_trace_get_method (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, ATTN_METHOD_RAW);

  return self->query.method;
}

/**
 * attn_trace_get_selection:
 * @layer: (out) (optional): the selected node's layer 1..L
 * @position: (out) (optional): its position
 * @sink: (out) (optional): the input the paths are restricted to, or -1
 *
 * Returns: whether a node is selected (else the outputs are untouched)
 */
gboolean
attn_trace_get_selection (const AttnTrace *self,
                          guint           *layer,
                          guint           *position,
                          int             *sink)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->query.layer == 0)
    return FALSE;
  if (layer)
    *layer = self->query.layer;
  if (position)
    *position = self->query.position;
  if (sink)
    *sink = self->query.sink;
  return TRUE;
}

guint
attn_trace_get_heat_position (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->query.heat_position;
}

guint
attn_trace_get_n_layers (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_layers;
}

guint
attn_trace_get_n_tokens (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_tokens;
}

/**
 * attn_trace_get_n_layers_done:
 *
 * Returns: how many layers are computed, from the bottom: L but while an
 *   un-clicked view is being computed
 */
guint
attn_trace_get_n_layers_done (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->layers_done;
}

gboolean
attn_trace_is_complete (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->layers_done == self->n_layers;
}

/**
 * attn_trace_get_layer_edges:
 * @layer: 1..L
 *
 * Returns: (nullable) (transfer none): n·n values, edge (@layer, q) ->
 *   (@layer - 1, k) at `[q * n + k]`, or %NULL while the layer is pending,
 *   and in a compact trace (attn_trace_is_compact()): read those with
 *   attn_trace_get_edge_row()
 */
const double *
attn_trace_get_layer_edges (const AttnTrace *self,
                            guint            layer)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NULL);

  return attn_trace_layer_doubles (self->edges[layer - 1], self->n_tokens);
}

/**
 * attn_trace_has_layer:
 * @layer: 1..L
 *
 * Returns: whether the edges of @layer are computed
 */
gboolean
attn_trace_has_layer (const AttnTrace *self,
                      guint            layer)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, FALSE);

  return self->edges[layer - 1] != NULL || (self->sparse != NULL && self->sparse[layer - 1] != NULL) ||
         (self->shares != NULL && layer <= self->layers_done);
}

/**
 * attn_trace_is_compact:
 *
 * Returns: whether the trace keeps its edges in less than L·n·n doubles
 *   (from %ATTN_TRACE_COMPACT_MIN_TOKENS tokens on: a rollout click as the
 *   path shares of its nodes, a flow click as the edges that carry flow,
 *   a raw click as its position's rows, the un-clicked rollout view as floats)
 */
gboolean
attn_trace_is_compact (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->shares != NULL || self->sparse != NULL || stores_floats (self);
}

/* Row @query of @layer's click edges from the path shares: P_l[q] Â_l[q][k],
 * as attn_rollout_edge_shares() computes them (0 above the clicked node) */
static void
shares_row (const AttnTrace *self,
            guint            layer,
            guint            query,
            double          *row)
{
  gsize n = self->n_tokens;
  double p = layer <= self->query.layer ? self->shares[(layer - 1) * n + query] : 0.;
  const double *a;

  if (p == 0.)
    {
      memset (row, 0, n * sizeof (double));
      return;
    }
  a = attn_graph_get_augmented (self->graph, layer) + query * n;
  for (gsize k = 0; k < n; k++)
    row[k] = p * a[k];
}

/**
 * attn_trace_get_edge_row:
 * @layer: 1..L
 * @query: 0..n-1
 * @buffer: (array): room for n values
 *
 * Reads the edges (@layer, @query) -> (@layer - 1, k) of every k, whatever
 * the trace keeps: as doubles (a pointer into the trace), as floats (for
 * drawing: within float rounding, 6e-8 relative, of the doubles computed)
 * or as path shares or the edges that carry flow (the same doubles as
 * attn_method_edges()); the last three are written to @buffer. Thread-safe, like every reader.
 *
 * Returns: (nullable) (transfer none): n values, or %NULL while pending
 */
const double *
attn_trace_get_edge_row (const AttnTrace *self,
                         guint            layer,
                         guint            query,
                         double          *buffer)
{
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NULL);
  g_return_val_if_fail (query < self->n_tokens && buffer != NULL, NULL);

  bytes = self->edges[layer - 1];
  if (bytes != NULL)
    return attn_trace_read_row (bytes, self->n_tokens, query, buffer);
  if (!attn_trace_has_layer (self, layer))
    return NULL;
  if (self->sparse != NULL)
    _attn_sparse_layer_read_row (self->sparse[layer - 1], self->n_tokens, query, buffer);
  else
    shares_row (self, layer, query, buffer);
  return buffer;
}

/**
 * attn_trace_layer_doubles:
 * @bytes: (nullable): a layer's edges as a trace keeps them
 *   (attn_trace_get_layer_bytes()): n·n doubles or n·n floats
 * @n_tokens: n
 *
 * Returns: (nullable) (transfer none): the n·n doubles of @bytes, `[q*n + k]`;
 *   %NULL when @bytes is %NULL (a pending layer) or holds floats
 */
const double *
attn_trace_layer_doubles (GBytes *bytes,
                          guint   n_tokens)
{
  gsize n = n_tokens;

  if (bytes == NULL || g_bytes_get_size (bytes) != n * n * sizeof (double))
    return NULL;
  return g_bytes_get_data (bytes, NULL);
}

/**
 * attn_trace_read_row:
 * @bytes: a layer's edges as a trace keeps them (attn_trace_get_layer_bytes()):
 *   n·n doubles or n·n floats
 * @n_tokens: n
 * @query: 0..n-1
 * @buffer: (array): room for n values
 *
 * Returns: (transfer none): row @query of @bytes as doubles: a pointer into
 *   @bytes, or @buffer with the floats converted
 */
const double *
attn_trace_read_row (GBytes       *bytes,
                     guint         n_tokens,
                     guint         query,
                     double       *buffer)
{
  gsize n = n_tokens;
  const double *doubles;
  const float *f;

  g_return_val_if_fail (bytes != NULL && buffer != NULL, NULL);

  doubles = attn_trace_layer_doubles (bytes, n_tokens);
  if (doubles != NULL)
    return doubles + query * n;
  g_return_val_if_fail (g_bytes_get_size (bytes) == n * n * sizeof (float), NULL);
  f = (const float *) g_bytes_get_data (bytes, NULL) + query * n;
  for (gsize k = 0; k < n; k++)
    buffer[k] = f[k];
  return buffer;
}

/**
 * attn_trace_get_layer_bytes:
 * @layer: 1..L
 *
 * Returns: (nullable) (transfer none): the edges of @layer as kept, to
 *   share rather than copy: n·n doubles (attn_trace_get_layer_edges()), or
 *   n·n floats; %NULL while pending or when the trace keeps path shares
 */
GBytes *
attn_trace_get_layer_bytes (const AttnTrace *self,
                            guint            layer)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NULL);

  return self->edges[layer - 1];
}

/**
 * attn_trace_get_edge:
 *
 * Returns: the value of edge (@layer, @query) -> (@layer - 1, @key), NaN
 *   while the layer is pending: a double as computed also in a compact
 *   trace (for one value shown as a number; attn_trace_get_edge_row() reads
 *   what is drawn)
 */
double
attn_trace_get_edge (const AttnTrace *self,
                     guint            layer,
                     guint            query,
                     guint            key)
{
  const double *edges;
  g_autofree double *row = NULL;

  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, NAN);
  g_return_val_if_fail (query < self->n_tokens && key < self->n_tokens, NAN);

  edges = attn_trace_get_layer_edges (self, layer);
  if (edges != NULL)
    return edges[(gsize) query * self->n_tokens + key];
  row = g_new (double, self->n_tokens);
  return attn_trace_read_exact_row (self, layer, query, row) ? row[key] : NAN;
}

/**
 * attn_trace_read_exact_row:
 * @layer: 1..L
 * @query: 0..n-1
 * @out: (out caller-allocates) (array): n values
 *
 * The edges (@layer, @query) -> (@layer - 1, k) as computed, in double
 * precision, also where the trace keeps floats (then row @query of R_@layer
 * is computed again, O(@layer n²): for a few values shown as numbers).
 *
 * Returns: %FALSE while the layer is pending
 */
gboolean
attn_trace_read_exact_row (const AttnTrace *self,
                           guint            layer,
                           guint            query,
                           double          *out)
{
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (layer >= 1 && layer <= self->n_layers, FALSE);
  g_return_val_if_fail (query < self->n_tokens && out != NULL, FALSE);

  if (!attn_trace_has_layer (self, layer))
    return FALSE;
  bytes = self->edges[layer - 1];
  if (self->sparse != NULL)
    _attn_sparse_layer_read_row (self->sparse[layer - 1], self->n_tokens, query, out);
  else if (bytes == NULL)
    shares_row (self, layer, query, out);
  else if (attn_trace_get_layer_edges (self, layer) != NULL)
    memcpy (out, attn_trace_get_layer_edges (self, layer) + (gsize) query * self->n_tokens,
            self->n_tokens * sizeof (double));
  else if (self->query.method == ATTN_METHOD_RAW)
    attn_graph_read_mixed_row (self->graph, layer, query, out);
  else if (!attn_rollout_node (self->graph, layer, query, out, NULL, NULL))
    return FALSE;
  return TRUE;
}

/**
 * attn_trace_get_heatmap:
 *
 * Returns: (nullable) (transfer none): L·n values, `[(l-1)*n + j]` the
 *   importance of input j for node (l, heat position); %NULL unless every
 *   layer is computed (a flow click computes only its node's layer, see
 *   attn_trace_get_node_values(); an un-clicked view its layers one by one)
 */
const double *
attn_trace_get_heatmap (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->heatmap_complete ? self->heatmap : NULL;
}

/**
 * attn_trace_get_node_values:
 *
 * Returns: (nullable) (transfer none): the n importance values of the
 *   inputs for the selected node, or %NULL when no node is selected (or the
 *   heatmap is at another position)
 */
const double *
attn_trace_get_node_values (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->query.layer == 0 || self->query.position != self->query.heat_position)
    return NULL;
  return self->heatmap + (gsize) (self->query.layer - 1) * self->n_tokens;
}

/**
 * attn_trace_get_size:
 *
 * Returns: the bytes the trace holds (its edges and heatmap), for caches;
 *   a pending layer counts as computed
 */
gsize
attn_trace_get_size (const AttnTrace *self)
{
  gsize size;

  g_return_val_if_fail (self != NULL, 0);

  size = (gsize) self->n_layers * self->n_tokens * sizeof (double);
  if (self->shares != NULL)
    return size + (gsize) self->query.layer * self->n_tokens * sizeof (double);
  for (guint l = 0; self->sparse != NULL && l < self->n_layers; l++)
    size += g_bytes_get_size (self->sparse[l]);
  if (self->sparse != NULL)
    return size;
  for (guint l = 0; l < self->n_layers; l++)
    size += self->edges[l] ? g_bytes_get_size (self->edges[l])
                           : (gsize) self->n_tokens * self->n_tokens *
                             (stores_floats (self) ? sizeof (float) : sizeof (double));
  return size;
}

/**
 * attn_trace_get_graph:
 *
 * Returns: (nullable) (transfer none): the graph a compact trace reads its
 *   edges from (attn_trace_is_compact()), else %NULL: a trace that holds
 *   one keeps it alive
 */
AttnGraph *
attn_trace_get_graph (const AttnTrace *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->graph;
}

void
_attn_trace_set_compact_min (guint n_tokens)
{
  compact_min = n_tokens;
}

guint
_attn_trace_get_n_computed (void)
{
  return (guint) g_atomic_int_get (&n_computed);
}
