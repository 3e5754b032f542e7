/* attn-flow.c: attention flow (docs/METHODS.md)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The flow importance of input j for node (l, p) is the max-flow value from
 * (l, p) to (0, j) on the layered graph with capacity Â_m[q][k] on the edge
 * (m, q) -> (m-1, k). Only the input node j is a sink, so the useful part of
 * the network is: the source, n nodes on each layer l-1 .. 1, and the sink
 * fed by the arcs (1, q) -> (0, j) of capacity Â_1[q][j].
 *
 * The engine is Dinic's algorithm: the capacities are read straight from the
 * graph's matrices; the flow lives in a dense array per worker for inputs up
 * to about 500 tokens and, beyond, in a hash table of the arcs that carry
 * some (a max-flow puts flow on about 1.5 arcs per node at n = 2048, so the
 * dense array's 436 MiB per worker shrink to a few MiB); the reverse arcs of
 * a node are the (few) upper neighbours that send it flow. Shortcuts, none
 * of which moves a value by more than 1e-13 relative:
 *
 * - layer 1 and layer 2 sources have closed forms: Â_1[p][j] and
 *   D_2(p) = Σ_q min(Â_2[p][q], Â_1[q][j]) (disjoint paths);
 * - D_m(q) = Σ_k min(Â_m[q][k], D_{m-1}(k)), D_1(q) = Â_1[q][j], bounds the
 *   flow any node (m, q) can send to the sink, and I_m(k), the same from the
 *   source side, bounds what can reach (m, k); every source-sink path crosses
 *   each layer once, so B_m = Σ_k min(I_m(k), D_m(k)) bounds the max-flow.
 *   Dinic stops as soon as its value reaches min_m B_m (to 2e-15 relative),
 *   and the max-flow is then that bound (not the sum of the pushes, which
 *   can be a few ulps off it); on causal inputs that is nearly always
 *   B_{l-1} = D_l(p);
 * - every node's flow (attn_flow_layers()) goes up the layers, and the
 *   max-flows F_k from the nodes (l-1, k) to a sink bound those from layer l
 *   from below: flows from the layer below, each scaled by t Â_l[p][k] /
 *   F_k, add up to a flow when the scales sum to at most 1. When this bound
 *   meets the upper one (to 1e-13 relative) the value is the upper bound,
 *   with no search: above the fifth layer of a 12-layer, 128-token BERT-like
 *   input, every max-flow; three times less CPU for the whole figure. The
 *   values are the search's to 1e-13 relative, and the same whatever the
 *   thread count;
 * - D is computed for 16 sinks at a time (one pass over the capacities
 *   serves them all; from 8 to 16 took a third off a 2048-token flow), over
 *   the non-zero span of each row
 *   of Â and of D_{m-1} only (a causal row q reaches k <= q, and nothing
 *   below the sink reaches it), and by blocks of 64 columns: where a row's
 *   largest off-diagonal capacity in a block is at most the smallest D_{m-1}
 *   there, every minimum is the capacity, and the block's precomputed sum
 *   replaces 64 minima (from layer 3 up, 80 to 99 % of the blocks of a
 *   realistic input). The minima of the blocks that need them are summed
 *   several blocks side by side (each block's sum keeps its own order, but
 *   the processor need not wait for one addition before the next): 4.3
 *   times fewer instructions than one block at a time in 8-lane vectors,
 *   which GCC split into scalar compares. This pass took 60 % of a
 *   2048-token flow before;
 * - nodes with D_m(q) = 0 cannot reach the sink (causal masks) and are
 *   never visited;
 * - the first phase needs no BFS: its levels are the layer distances; its
 *   search tries each node's diagonal arc (the residual connection, the
 *   widest) first, then the others in index order, which halves its steps
 *   (2.8 times fewer at n = 512, causal); as it sends no flow back, it reads
 *   the flow of two arcs per node only, and the reverse-arc lists are made
 *   only when a second phase is needed (for 90 % of the sinks it is not);
 *   trying the nodes by decreasing D_m was measured to take 1.7 times as
 *   many steps, the row's widest off-diagonal arc next gained nothing;
 * - the searches find candidate arcs 64 at a time in bit rows (the nodes of
 *   a layer at the wanted level, minus the arcs of the node known to be
 *   full), within each row's non-zero span, so dead nodes and full arcs
 *   cost a bit, not a look each;
 * - after a max-flow only the arcs it used are reset.
 *
 * Floating point: every push either saturates an arc, which then holds its
 * capacity (or zero) exactly, or is limited by the path's bottleneck, so the
 * algorithm terminates as in exact arithmetic and no capacity, however small,
 * is ignored.
 *
 * Parallelism: the independent max-flows are tasks taken from an atomic
 * counter; each one is computed by one thread with a deterministic algorithm
 * and written to its own slot, so results do not depend on the thread count.
 * A one-node job runs by blocks of 16 sinks (their bounds, then their
 * max-flows), so its memory does not grow with the number of sinks; jobs
 * with many sources keep every sink's bounds while they fit in 64 MiB and
 * run source by source, so that sources finish (and are reported) in order.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-error.h"
#include "attn-flow.h"
#include "attn-flow-net.h"
#include "attn-sparse-edges.h"
#include "attn-graph-private.h"
#include "attn-threads-private.h"

/* Jobs with fewer (source, sink) pairs times arcs than this (a few ms of
 * work) run on the calling thread alone: n = 32, one node: 0.4 M; every
 * layer: 4.7 M; n = 128, one node: 25 M. */
#define SMALL_JOB_ARCS 1e7
/* Jobs with several sources keep every sink's bounds up to this size. */
#define SINK_TABLE_BYTES ((gsize) 64 << 20)
typedef struct _Job Job;
typedef void (*TaskFunc) (Job  *job,
                          Work *w,
                          guint task);

struct _Job
{
  Net                    net;
  const AttnFlowOptions *options;
  guint                  lmax;       /* highest source layer */
  guint                  n_threads;
  int                    top;        /* the only source row of the top layer, or -1 */

  /* sources: (layer[s], position[s]) */
  guint                  n_sources;
  guint                 *src_layer;
  guint                 *src_position;
  double                *raw;        /* n_sources * n raw values */
  gint                  *src_done;   /* atomic, sinks finished per source */

  double                *sink_table;    /* n * (lmax + 1) * n: D for each sink, or NULL */
  const double          *below;         /* n * n: for sources in one layer l, the max-flows
                                         * from (l-1, k) to sink j at j n + k, or NULL */
  double                *source_bounds; /* n_sources * (lmax + 1) * n: I for each source */

  /* progress */
  GMutex                 mutex;
  guint                  total_units;
  gint                   done_units; /* atomic */
  int                    last_percent;

  /* the current parallel round */
  TaskFunc               func;
  guint                  n_tasks;
  gint                   next_task;  /* atomic */
  Work                 **works;
  gboolean               block_bounds; /* works need room for a block's bounds */

  /* attn_flow_edges(): the sinks wanted, and the edge flows of a round */
  guint                  edge_first;
  guint                  edge_last;
  guint                  round_block; /* first sink block of the round */
  EdgeList              *edge_lists;  /* per sink of the round */
  gboolean               out_of_memory;
};

/* (lmax + 1) n: the values of one source's or one sink's bounds, a row per node */
static gsize
job_rows (const Job *job)
{
  return (gsize) (job->lmax + 1) * job->net.n;
}

static void
job_report (Job          *job,
            guint         s,
            const double *values)
{
  const AttnFlowOptions *o = job->options;
  double fraction;
  int percent;

  if (o == NULL || o->partial == NULL)
    return;

  g_mutex_lock (&job->mutex);
  fraction = (double) g_atomic_int_get (&job->done_units) / MAX (job->total_units, 1);
  fraction = MIN (fraction, 1.);
  percent = (int) floor (fraction * 100.);
  if (values != NULL || percent > job->last_percent)
    {
      job->last_percent = MAX (job->last_percent, percent);
      o->partial (job->src_layer[s], job->src_position[s], values, fraction, o->user_data);
    }
  g_mutex_unlock (&job->mutex);
}

/* Divides by the sum (in index order) unless unnormalised output is wanted. */
static void
normalize_into (const double *raw,
                guint         n,
                gboolean      unnormalized,
                double       *out)
{
  double sum = 0.;

  for (guint j = 0; j < n; j++)
    sum += raw[j];
  for (guint j = 0; j < n; j++)
    out[j] = unnormalized || sum == 0. ? raw[j] : raw[j] / sum;
}

/* Writes the job's rows of raw values, one per source, to @out with normalize_into(). */
static void
job_normalize_into (const Job *job,
                    double    *out)
{
  guint n = job->net.n;
  gboolean unnormalized = job->options != NULL && job->options->unnormalized;

  for (guint s = 0; s < job->n_sources; s++)
    normalize_into (job->raw + (gsize) s * n, n, unnormalized, out + (gsize) s * n);
}

static void
job_source_finished (Job   *job,
                     guint  s)
{
  guint n = job->net.n;
  g_autofree double *values = NULL;
  gboolean unnormalized = job->options != NULL && job->options->unnormalized;

  if (job->options == NULL || job->options->partial == NULL)
    return;
  values = g_new (double, n);
  normalize_into (job->raw + (gsize) s * n, n, unnormalized, values);
  job_report (job, s, values);
}

/* Records the raw value of source @s for sink @j and reports the source
 * when it was its last sink. */
static void
job_pair_done (Job    *job,
               guint   s,
               guint   j,
               double  value)
{
  guint n = job->net.n;

  job->raw[(gsize) s * n + j] = value;
  g_atomic_int_inc (&job->done_units);
  if ((guint) g_atomic_int_add (&job->src_done[s], 1) + 1 == n)
    job_source_finished (job, s);
  else
    job_report (job, s, NULL);
}

static gpointer
job_worker (gpointer data)
{
  Job *job = ((gpointer *) data)[0];
  Work *w = ((gpointer *) data)[1];

  for (;;)
    {
      guint task = (guint) g_atomic_int_add (&job->next_task, 1);

      if (task >= job->n_tasks || g_atomic_int_get (&job->net.cancelled))
        break;
      job->func (job, w, task);
    }
  return NULL;
}

/* Runs @func on tasks 0..n_tasks-1 with the job's threads (the caller being
 * one of them). Returns FALSE when cancelled or out of memory. */
static gboolean
job_run (Job      *job,
         TaskFunc  func,
         guint     n_tasks,
         gboolean  need_work)
{
  guint n_threads = MIN (job->n_threads, MAX (n_tasks, 1));
  gpointer *args = g_newa (gpointer, 2 * n_threads);

  job->func = func;
  job->n_tasks = n_tasks;
  g_atomic_int_set (&job->next_task, 0);

  for (guint t = 0; t < n_threads; t++)
    {
      if (need_work && job->works[t] == NULL)
        job->works[t] = attn_flow_work_new (job->net.n, job->lmax, job->block_bounds);
      if (need_work && job->works[t] == NULL)
        {
          /* Fewer threads give the same results; none at all is an error. */
          if (t == 0)
            {
              job->out_of_memory = TRUE;
              return FALSE;
            }
          n_threads = t;
          break;
        }
      args[2 * t] = job;
      args[2 * t + 1] = job->works[t];
    }
  attn_run_parts ("attn-flow", job_worker, args, 2 * sizeof (gpointer), n_threads);

  return !attn_flow_net_check_cancelled (&job->net);
}

/* The first round of every job: the row tables of layers 2..lmax. */
static void
task_tables (Job   *job,
             Work  *w,
             guint  task)
{
  if (attn_flow_net_check_cancelled (&job->net))
    return;
  attn_flow_net_layer_tables (&job->net, task + 2);
  g_atomic_int_inc (&job->done_units);
  job_report (job, 0, NULL);
}

/* Then the source bounds (which skip the zeros the tables found), one task
 * per source. */
static void
task_source_bounds (Job   *job,
                    Work  *w,
                    guint  task)
{
  gsize stride = job_rows (job);

  if (attn_flow_net_check_cancelled (&job->net))
    return;
  attn_flow_source_bounds (&job->net, job->src_layer[task], job->src_position[task],
                         job->source_bounds + task * stride);
  g_atomic_int_inc (&job->done_units);
  job_report (job, task, NULL);
}

static guint
block_count (guint n,
             guint j0)
{
  return MIN (SINK_BLOCK, n - j0);
}

/* The bounds of the sinks of block @block (sinks @block * SINK_BLOCK on) into
 * @bounds, job_rows() values per sink. Returns how many sinks the block has,
 * 0 when cancelled. */
static guint
block_sink_bounds (Job    *job,
                   guint   block,
                   double *bounds)
{
  guint j0 = block * SINK_BLOCK, count = block_count (job->net.n, j0);

  if (!attn_flow_sink_bounds (&job->net, j0, count, job->top, bounds, job_rows (job)))
    return 0;
  return count;
}

/* Table jobs, round 2: the bounds of one block of sinks. */
static void
task_table (Job   *job,
            Work  *w,
            guint  task)
{
  double *bounds = job->sink_table + (gsize) task * SINK_BLOCK * job_rows (job);

  g_atomic_int_add (&job->done_units, block_sink_bounds (job, task, bounds));
  job_report (job, 0, NULL);
}

/* The max-flows to sink @j from the layer below the sources', or NULL. */
static const double *
job_below (const Job *job,
           guint      j)
{
  return job->below != NULL ? job->below + (gsize) j * job->net.n : NULL;
}

/* Table jobs, round 3: task s * n + j, source s to sink j (layer >= 3). */
static void
task_pair (Job   *job,
           Work  *w,
           guint  task)
{
  guint n = job->net.n;
  guint s = task / n, j = task % n;
  gsize stride = job_rows (job);
  Sink sk = { job->sink_table + j * stride, job_below (job, j) };
  double v;

  if (job->src_layer[s] <= 2)
    return;
  v = attn_flow_solve_pair (w, &job->net, job->src_layer[s], job->src_position[s], j, &sk,
                  job->source_bounds + s * stride);
  if (v >= 0.)
    job_pair_done (job, s, j, v);
}

/* Block jobs: the bounds of one block of sinks, then its max-flows for every
 * source (layers 2 and above). */
static void
task_block (Job   *job,
            Work  *w,
            guint  task)
{
  gsize stride = job_rows (job);
  guint j0 = task * SINK_BLOCK, count = block_sink_bounds (job, task, attn_flow_work_get_block_bounds (w));

  if (count == 0)
    return;
  g_atomic_int_add (&job->done_units, count);
  for (guint s = 0; s < job->n_sources; s++)
    {
      if (job->src_layer[s] < 2)
        continue;
      for (guint b = 0; b < count; b++)
        {
          Sink sk = { attn_flow_work_get_block_bounds (w) + b * stride, job_below (job, j0 + b) };
          double v = attn_flow_solve_pair (w, &job->net, job->src_layer[s], job->src_position[s], j0 + b,
                                 &sk, job->source_bounds + s * stride);

          if (v < 0.)
            return;
          job_pair_done (job, s, j0 + b, v);
        }
    }
}

/* Sets up @net for sources up to layer @lmax of @graph: the capacities,
 * and room for the row tables (attn_flow_net_layer_tables()); out of memory
 * shows in attn_flow_net_is_allocated(). attn_flow_net_clear() frees it. */
void
attn_flow_net_init (Net          *net,
                    AttnGraph    *graph,
                    guint         lmax,
                    GCancellable *cancellable)
{
  guint n = attn_graph_get_n_tokens (graph);
  gsize rows = (gsize) (lmax + 1) * n;

  memset (net, 0, sizeof *net);
  net->n = n;
  net->lmax = lmax;
  net->cap = g_new0 (const double *, lmax + 1);
  net->spans = g_new0 (const guint *, lmax + 1);
  for (guint m = 1; m <= lmax; m++)
    {
      net->cap[m] = attn_graph_get_augmented (graph, m);
      net->spans[m] = attn_graph_get_row_spans (graph, m);
    }
  net->n_blocks = (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
  net->block_max = g_try_malloc0_n (rows * net->n_blocks, sizeof (double));
  net->block_sum = g_try_malloc0_n (rows * net->n_blocks, sizeof (double));
  net->diag = g_try_malloc0_n (rows, sizeof (double));
  net->cancellable = cancellable;
}

gboolean
attn_flow_net_is_allocated (const Net *net)
{
  return net->block_max != NULL && net->block_sum != NULL && net->diag != NULL;
}

void
attn_flow_net_clear (Net *net)
{
  g_free (net->cap);
  g_free (net->spans);
  g_free (net->block_max);
  g_free (net->block_sum);
  g_free (net->diag);
}

/* Starts a job over @n_sources nodes: source s is node (@layer + s *
 * @layer_step, @position + s * @position_step); @top is the position every
 * source has, or -1. Out of memory shows in job->out_of_memory. */
static void
job_init (Job                   *job,
          AttnGraph             *graph,
          const AttnFlowOptions *options,
          GCancellable          *cancellable,
          guint                  layer,
          guint                  layer_step,
          guint                  position,
          guint                  position_step,
          guint                  n_sources,
          int                    top)
{
  guint lmax = layer + (n_sources - 1) * layer_step;
  guint n = attn_graph_get_n_tokens (graph);
  guint n_threads = options != NULL ? options->n_threads : 0;
  gsize rows = (gsize) (lmax + 1) * n;

  memset (job, 0, sizeof *job);
  attn_flow_net_init (&job->net, graph, lmax, cancellable);
  job->options = options;
  job->lmax = lmax;
  job->top = top;
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  /* Small jobs (about a millisecond) are not worth starting threads for,
   * least of all on a busy machine where a second thread waits for a core. */
  if ((double) n_sources * n * lmax * n * n < SMALL_JOB_ARCS)
    n_threads = 1;
  job->n_threads = MAX (n_threads, 1);
  job->works = g_new0 (Work *, job->n_threads);
  job->n_sources = n_sources;
  job->src_layer = g_new0 (guint, n_sources);
  job->src_position = g_new0 (guint, n_sources);
  job->raw = g_new0 (double, (gsize) n_sources * n);
  job->src_done = g_new0 (gint, n_sources);
  job->source_bounds = g_try_malloc0_n ((gsize) n_sources * rows, sizeof (double));
  job->last_percent = -1;
  g_mutex_init (&job->mutex);
  job->out_of_memory = !attn_flow_net_is_allocated (&job->net) || job->source_bounds == NULL;
  for (guint s = 0; s < n_sources; s++)
    {
      job->src_layer[s] = layer + s * layer_step;
      job->src_position[s] = position + s * position_step;
    }
}

static void
job_clear (Job *job)
{
  for (guint t = 0; t < job->n_threads; t++)
    attn_flow_work_free (job->works[t]);
  g_free (job->works);
  attn_flow_net_clear (&job->net);
  g_free (job->src_layer);
  g_free (job->src_position);
  g_free (job->raw);
  g_free (job->src_done);
  g_free (job->sink_table);
  g_free (job->source_bounds);
  if (job->edge_lists != NULL)
    for (guint i = 0; i < job->n_threads * SINK_BLOCK; i++)
      {
        g_free (job->edge_lists[i].index);
        g_free (job->edge_lists[i].flow);
      }
  g_free (job->edge_lists);
  g_mutex_clear (&job->mutex);
}

/* Sets @error for a job that stopped: out of memory or cancelled. */
static gboolean
job_fail (Job     *job,
          GError **error)
{
  if (job->out_of_memory)
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                 _("Not enough memory to compute attention flow for %u tokens"), job->net.n);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
  return FALSE;
}

/* The first rounds of every job: tables and source bounds. */
static gboolean
job_prepare (Job *job)
{
  if (job->out_of_memory)
    return FALSE;
  return job_run (job, task_tables, job->lmax - 1, FALSE)
         && job_run (job, task_source_bounds, job->n_sources, FALSE);
}

/* Computes the raw values of every source of the job. */
static gboolean
job_compute (Job     *job,
             GError **error)
{
  guint n = job->net.n;
  gsize stride = job_rows (job);
  guint n_blocks = (n + SINK_BLOCK - 1) / SINK_BLOCK;
  guint n_pairs = 0;

  if (job->n_sources > 1 && (gsize) n * stride * sizeof (double) <= SINK_TABLE_BYTES)
    {
      job->sink_table = g_try_malloc0_n ((gsize) n * stride, sizeof (double));
      job->out_of_memory = job->out_of_memory || job->sink_table == NULL;
    }
  job->block_bounds = job->sink_table == NULL;

  for (guint s = 0; s < job->n_sources; s++)
    if (job->src_layer[s] > (job->sink_table != NULL ? 2u : 1u))
      n_pairs += n;
  job->total_units = job->lmax - 1 + job->n_sources + n + n_pairs;

  if (!job_prepare (job))
    return job_fail (job, error);

  /* Layer 1: the capacities themselves. */
  for (guint s = 0; s < job->n_sources; s++)
    if (job->src_layer[s] == 1)
      {
        memcpy (job->raw + (gsize) s * n, job->net.cap[1] + (gsize) job->src_position[s] * n,
                n * sizeof (double));
        g_atomic_int_set (&job->src_done[s], (gint) n);
        job_source_finished (job, s);
      }

  if (job->sink_table == NULL)
    return job_run (job, task_block, n_blocks, TRUE) || job_fail (job, error);

  if (!job_run (job, task_table, n_blocks, FALSE))
    return job_fail (job, error);

  /* Layer 2: closed forms, in source order, reported from the calling thread. */
  for (guint s = 0; s < job->n_sources; s++)
    {
      guint p = job->src_position[s];

      if (job->src_layer[s] != 2)
        continue;
      for (guint j = 0; j < n; j++)
        job->raw[(gsize) s * n + j] = job->sink_table[j * stride + 2 * (gsize) n + p];
      job_source_finished (job, s);
    }

  /* The max-flows, source by source (so sources finish in order). */
  if (n_pairs > 0 && !job_run (job, task_pair, job->n_sources * n, TRUE))
    return job_fail (job, error);
  return TRUE;
}

/* The flow of the sources job_init() starts from node (@layer, @position)
 * into @out, normalised unless the options say otherwise: with
 * @layer_step, that position at every layer from @layer up; with
 * @position_step, every position of @layer; else the node alone. Checks
 * what every such entry point is given. */
static gboolean
flow_into (AttnGraph             *graph,
           guint                  layer,
           guint                  layer_step,
           guint                  position,
           guint                  position_step,
           const AttnFlowOptions *options,
           double                *out,
           GCancellable          *cancellable,
           GError               **error)
{
  Job job;
  guint n_sources = 1;
  gboolean ok;

  if (!attn_graph_check_node_call (graph, layer, position, out, cancellable, error))
    return FALSE;
  if (layer_step != 0)
    n_sources = attn_graph_get_n_layers (graph) - layer + 1;
  else if (position_step != 0)
    n_sources = attn_graph_get_n_tokens (graph) - position;
  job_init (&job, graph, options, cancellable, layer, layer_step, position, position_step, n_sources,
            position_step != 0 ? -1 : (int) position);
  ok = job_compute (&job, error);
  if (ok)
    job_normalize_into (&job, out);
  job_clear (&job);
  return ok;
}

/**
 * attn_flow_node:
 * @graph: the attention graph
 * @layer: the source node's layer, 1..L
 * @position: the source node's position, 0..n-1
 * @options: (nullable): options; %NULL means normalised, every processor,
 *   no callback
 * @out: (out caller-allocates) (array): n values; `out[j]` is the flow
 *   importance of input token j for node (@layer, @position)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Computes one max-flow from (@layer, @position) to every input node (0, j)
 * and divides the vector by its sum (unless @options asks for raw values).
 * The partial callback gets progress-only reports (%NULL values) while the
 * sinks are computed, then the values.
 *
 * Returns: %TRUE on success; %FALSE with @error set for a bad node or, with
 *   %G_IO_ERROR_CANCELLED, when cancelled (then @out is left untouched)
 */
gboolean
attn_flow_node (AttnGraph             *graph,
                guint                  layer,
                guint                  position,
                const AttnFlowOptions *options,
                double                *out,
                GCancellable          *cancellable,
                GError               **error)
{
  return flow_into (graph, layer, 0, position, 0, options, out, cancellable, error);
}

/**
 * attn_flow_position:
 * @graph: the attention graph
 * @position: 0..n-1
 * @options: (nullable): options
 * @out: (out caller-allocates) (array): L * n values; `out[(l-1)*n + j]` is
 *   the importance of input j for node (l, @position)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Flow at every layer for one position (the heatmap). The partial callback
 * reports the layers bottom first.
 *
 * Returns: %TRUE on success; %FALSE with @error set (@out untouched)
 */
gboolean
attn_flow_position (AttnGraph             *graph,
                    guint                  position,
                    const AttnFlowOptions *options,
                    double                *out,
                    GCancellable          *cancellable,
                    GError               **error)
{
  return flow_into (graph, 1, 1, position, 0, options, out, cancellable, error);
}

/**
 * attn_flow_layer:
 * @graph: the attention graph
 * @layer: 1..L
 * @options: (nullable): options
 * @out: (out caller-allocates) (array): n * n values; `out[q*n + j]` is the
 *   importance of input j for node (@layer, q) (Figure 1(c)'s convention)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Flow for every node of one layer: n * n max-flows. The partial callback
 * reports the nodes in position order.
 *
 * Returns: %TRUE on success; %FALSE with @error set (@out untouched)
 */
gboolean
attn_flow_layer (AttnGraph             *graph,
                 guint                  layer,
                 const AttnFlowOptions *options,
                 double                *out,
                 GCancellable          *cancellable,
                 GError               **error)
{
  return flow_into (graph, layer, 0, 0, 1, options, out, cancellable, error);
}

/* The progress of attn_flow_layers() over its layers. */
typedef struct
{
  const AttnFlowOptions *options;
  guint                  done;
  guint                  count;
} LayersProgress;

static void
layers_partial_cb (guint         layer,
                   guint         position,
                   const double *values,
                   double        fraction,
                   gpointer      user_data)
{
  LayersProgress *progress = user_data;

  progress->options->partial (layer, position, values,
                              (progress->done + fraction) / progress->count,
                              progress->options->user_data);
}

/**
 * attn_flow_layers:
 * @graph: the attention graph
 * @first_layer: the first layer, 1..L
 * @last_layer: the last one, @first_layer..L
 * @options: (nullable): options; the partial callback's fraction runs over
 *   all the layers
 * @layer_done: called with each layer's n * n values (as attn_flow_layer()
 *   gives them), bottom first
 * @user_data: closure for @layer_done
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Flow for every node of the layers @first_layer..@last_layer (the paper's
 * figure without a selection). From the second layer on, the max-flows of
 * the layer below give each max-flow a lower bound that, above the first few
 * layers, nearly always meets its upper bound: then the value is that bound
 * and no search is made. The values are attn_flow_layer()'s, or within 1e-13
 * of them (relative), whatever layer the job starts from. Memory beyond the
 * graph: two layers of values.
 *
 * Returns: %TRUE on success; %FALSE with @error set (the layers delivered
 *   before it stay valid)
 */
gboolean
attn_flow_layers (AttnGraph             *graph,
                  guint                  first_layer,
                  guint                  last_layer,
                  const AttnFlowOptions *options,
                  AttnFlowLayerFunc      layer_done,
                  gpointer               user_data,
                  GCancellable          *cancellable,
                  GError               **error)
{
  AttnFlowOptions layer_options = { 0 };
  LayersProgress progress = { options, 0, 0 };
  g_autofree double *below = NULL;
  guint n;

  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (layer_done != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!attn_graph_check_layers (graph, first_layer, last_layer, error))
    return FALSE;
  n = attn_graph_get_n_tokens (graph);
  progress.count = last_layer - first_layer + 1;
  if (options != NULL)
    layer_options = *options;
  if (layer_options.partial != NULL)
    {
      layer_options.partial = layers_partial_cb;
      layer_options.user_data = &progress;
    }
  for (guint l = first_layer; l <= last_layer; l++, progress.done++)
    {
      Job job;

      job_init (&job, graph, &layer_options, cancellable, l, 0, 0, 1, n, -1);
      job.below = below;
      if (!job_compute (&job, error))
        {
          job_clear (&job);
          return FALSE;
        }
      if (below == NULL)
        below = g_new (double, (gsize) n * n);
      for (guint q = 0; q < n; q++)
        for (guint j = 0; j < n; j++)
          below[(gsize) j * n + q] = job.raw[(gsize) q * n + j];
      job_normalize_into (&job, job.raw);
      layer_done (l, job.raw, user_data);
      job_clear (&job);
    }
  return TRUE;
}

/* Edge jobs: task t of a round is the sink block round_block + t; each of its
 * wanted sinks gets its max-flow and its edge list. */
static void
task_edge_block (Job   *job,
                 Work  *w,
                 guint  task)
{
  gsize stride = job_rows (job);
  guint block = job->round_block + task;
  guint j0 = block * SINK_BLOCK, count = block_sink_bounds (job, block, attn_flow_work_get_block_bounds (w));
  guint l = job->src_layer[0], p = job->src_position[0];

  if (count == 0)
    return;
  for (guint b = 0; b < count; b++)
    {
      guint j = j0 + b;
      Sink sk = { attn_flow_work_get_block_bounds (w) + b * stride, NULL };
      double v;

      if (j < job->edge_first || j >= job->edge_last)
        continue;
      v = attn_flow_solve_pair (w, &job->net, l, p, j, &sk, job->source_bounds);
      if (v < 0.)
        return;
      attn_flow_work_edge_list (w, &job->net, l, p, j, sk.d, &job->edge_lists[task * SINK_BLOCK + b]);
      job->raw[j] = v;
      g_atomic_int_inc (&job->done_units);
      job_report (job, 0, NULL);
    }
}

/* attn_flow_edges() into @out (L·n·n values) or @sums */
static gboolean
flow_edges (AttnGraph             *graph,
            guint                  layer,
            guint                  position,
            int                    sink,
            const AttnFlowOptions *options,
            double                *out,
            AttnEdgeSums          *sums,
            GCancellable          *cancellable,
            GError               **error)
{
  Job job;
  guint L, n, first, last;
  gsize total_size;
  gboolean ok = FALSE;

  if (!attn_graph_check_node_sink (graph, layer, position, sink, error))
    return FALSE;
  L = attn_graph_get_n_layers (graph);
  n = attn_graph_get_n_tokens (graph);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  first = sink < 0 ? 0 : (guint) sink;
  last = sink < 0 ? n : (guint) sink + 1;

  job_init (&job, graph, options, cancellable, layer, 0, position, 0, 1, (int) position);
  job.edge_first = first;
  job.edge_last = last;
  job.block_bounds = TRUE;
  job.edge_lists = g_new0 (EdgeList, (gsize) job.n_threads * SINK_BLOCK);
  job.total_units = job.lmax - 1 + 1 + (last - first);
  total_size = (gsize) L * n * n;
  if (out != NULL)
    memset (out, 0, total_size * sizeof (double));

  if (!job_prepare (&job))
    goto out;

  if (layer == 1)
    {
      for (guint j = first; j < last; j++)
        {
          job.raw[j] = job.net.cap[1][(gsize) position * n + j];
          if (out != NULL)
            out[(gsize) position * n + j] = job.raw[j];
          else if (job.raw[j] != 0.)
            _attn_edge_sums_add (sums, position * n + j, job.raw[j]);
        }
    }
  else
    {
      guint block_first = first / SINK_BLOCK, block_last = (last - 1) / SINK_BLOCK + 1;

      for (guint base = block_first; base < block_last; base += job.n_threads)
        {
          guint count = MIN (job.n_threads, block_last - base);

          job.round_block = base;
          if (!job_run (&job, task_edge_block, count, TRUE))
            goto out;
          /* In sink order, whatever thread computed which sink. */
          for (guint t = 0; t < count * SINK_BLOCK; t++)
            {
              guint j = base * SINK_BLOCK + t;
              const EdgeList *list = &job.edge_lists[t];

              if (j < first || j >= last)
                continue;
              if (out != NULL)
                for (gsize i = 0; i < list->len; i++)
                  out[list->index[i]] += list->flow[i];
              else
                _attn_edge_sums_add_list (sums, list->index, list->flow, list->len);
            }
        }
    }

  if (sink < 0)
    {
      double total = 0.;

      for (guint j = 0; j < n; j++)
        total += job.raw[j];
      if (total > 0. && out != NULL)
        for (gsize i = 0; i < total_size; i++)
          out[i] /= total;
      else if (total > 0.)
        _attn_edge_sums_divide (sums, total);
    }
  if (options != NULL && options->partial != NULL && sink < 0)
    job_source_finished (&job, 0);
  ok = TRUE;

out:
  if (!ok)
    job_fail (&job, error);
  job_clear (&job);
  return ok;
}

/**
 * attn_flow_edges:
 * @graph: the attention graph
 * @layer: the source node's layer, 1..L
 * @position: the source node's position
 * @sink: an input position, or -1 for every input
 * @options: (nullable): options (#AttnFlowOptions.unnormalized is ignored)
 * @out: (out caller-allocates) (array): L * n * n values;
 *   `out[(l-1)*n*n + q*n + k]` is the flow on edge (l, q) -> (l-1, k)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The edge flows of the max-flows from (@layer, @position). With @sink >= 0,
 * those of the one max-flow to (0, @sink), unnormalised (they sum to its
 * value across each layer). With @sink < 0, those of all n max-flows summed
 * in sink order and divided by the total flow, so each layer sums to 1.
 * Edges above @layer, from other nodes of @layer, and into inputs other than
 * the sink carry 0. Max-flows are not unique; these are deterministic, the
 * same for every thread count. The partial callback gets progress reports
 * and, at the end, the node's values. The sums are made in @out itself (no
 * second array of its size).
 *
 * Returns: %TRUE on success; %FALSE with @error set (bad arguments: @out
 *   untouched; cancelled or out of memory: @out holds no result)
 */
gboolean
attn_flow_edges (AttnGraph             *graph,
                 guint                  layer,
                 guint                  position,
                 int                    sink,
                 const AttnFlowOptions *options,
                 double                *out,
                 GCancellable          *cancellable,
                 GError               **error)
{
  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);

  return flow_edges (graph, layer, position, sink, options, out, NULL, cancellable, error);
}

/* attn_flow_edges(), made into L sparse layers (attn-sparse-edges.h) with
 * no array of L·n·n values: the same doubles. Returns: (transfer full): the
 * layers, or %NULL with @error set (or, unset, where L·n·n is 2^32 - 1 or
 * more, too many edges to index) */
GBytes **
_attn_flow_edges_sparse (AttnGraph             *graph,
                         guint                  layer,
                         guint                  position,
                         int                    sink,
                         const AttnFlowOptions *options,
                         GCancellable          *cancellable,
                         GError               **error)
{
  guint L, n;
  g_autoptr(AttnEdgeSums) sums = NULL;

  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  L = attn_graph_get_n_layers (graph);
  n = attn_graph_get_n_tokens (graph);
  if ((guint64) L * n * n >= G_MAXUINT32)
    return NULL;
  /* layers 1 and 2 summed in place: every sink's flow crosses most of
   * their edges (half of n² each at n = 2048, causal: 9 M of the 35 M
   * values added), the layers above few (a twentieth) */
  sums = _attn_edge_sums_new (L, n, 2);
  if (!flow_edges (graph, layer, position, sink, options, NULL, sums, cancellable, error))
    return NULL;
  return _attn_edge_sums_to_layers (sums);
}
