/* attn-flow-estimate.c: how long the flow of every node takes
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "attn-error.h"
#include "attn-flow.h"
#include "attn-flow-net.h"
#include "attn-flow-private.h"
#include "attn-graph-private.h"

/* The model of attn_flow_estimate_every_node(), measured layer by layer
 * with bench/bench-long --every-node (BENCHMARKS.md, "Long inputs": dense
 * 12 x 12-head inputs of n = 128, 256 and 512 took 1.8, 11.9 and 70 s of
 * CPU, about half that on two processors; causal ones 1.35, 9.8 and 81 s).
 * The time grows as n^(8/3), not the n^4 of the max-flows' count times
 * their size, as the shared bounds cut most of them short. It is
 * front-loaded: layers 1 and 2 cost next to nothing (under 0.3 %), 3 to 5
 * the most (over 90 % of a dense input's time); above them the lower bound
 * from the layer below settles nearly every max-flow of a dense input (1
 * to 2 % of the time each), few of a causal one's (each about as much as
 * one of layers 3 to 5, which cost a quarter of a dense input's: the
 * density squared). Fitted on the benchmarks' synthetic inputs alone: the
 * costly layers are those below the ones the lower bound settles, which
 * depends on the attention, not on the layer's number; on their 6- and
 * 24-layer versions the total stays within about 30 %. */
#define EVERY_NODE_EXPONENT (8. / 3.)
#define EVERY_NODE_SECONDS_PER_UNIT 6.5e-7
#define EVERY_NODE_LOW_LAYER 0.01
#define EVERY_NODE_SETTLED_LAYER 0.04

/* The fraction of Â that is not zero: 1 for a dense input, about 1/2 for
 * a causal one */
static double
every_node_density (AttnGraph *graph)
{
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);
  double nonzero = 0.;

  for (guint l = 1; l <= L; l++)
    {
      const guint *spans = attn_graph_get_row_spans (graph, l);

      for (guint q = 0; q < n; q++)
        nonzero += spans[2 * q + 1] - spans[2 * q];
    }
  return L > 0 && n > 0 ? nonzero / ((double) L * n * n) : 1.;
}

/* The cost of layer @l of the flow of every node, in units of one of
 * layers 3 to 5, at @density */
static double
every_node_layer_weight (guint  l,
                         double density)
{
  if (l <= 2)
    return EVERY_NODE_LOW_LAYER;
  if (l <= 5)
    return 1.;
  /* from 0.04 (dense) up to 1 at a density of 1/2 (causal) */
  return EVERY_NODE_SETTLED_LAYER + (1. - EVERY_NODE_SETTLED_LAYER) * CLAMP (2. * (1. - density), 0., 1.);
}

/* The cost of layers 1 to @layers of the flow of every node at @density */
static double
every_node_weight (guint  layers,
                   double density)
{
  double weight = 0.;

  for (guint l = 1; l <= layers; l++)
    weight += every_node_layer_weight (l, density);
  return weight;
}

/**
 * attn_flow_estimate_every_node:
 * @graph: the attention graph
 *
 * About how long the flow of every node of every layer takes
 * (attn_method_every_node(): L·n·n max-flows), to offer it with its cost
 * rather than start it. A model, right to within about 30 % on the dense
 * inputs the benchmarks use: layer l costs w_l·n^(8/3)·ρ² (ρ: the fraction
 * of Â that is not zero, about 1/2 for a causal model, whose nodes reach
 * fewer inputs through fewer arcs), w_l next to nothing for layers 1 and
 * 2, 1 for layers 3 to 5 and for those above them 0.04 on a dense input,
 * rising to 1 on a causal one (attn_flow_every_node_share()), times a
 * constant measured on two processors, scaled by the processors here.
 * Fitted on synthetic inputs alone: on real ones (MiniLM's attention and
 * ALTI contributions, 292 and 378 tokens, 6 layers) the lower bound
 * settles none of the max-flows of layer 6 (all of those of layers 6 to
 * 12 of the synthetic dense inputs) and the time is 3 to 14 times the model's,
 * and it gives a peaked input and a diffuse one of the same shape the same
 * time. The app offers the view at attn_flow_measure_every_node()'s time;
 * the model stays for what is not measured, and for the shares of the
 * layers (attn_flow_every_node_share()).
 *
 * Returns: seconds
 */
double
attn_flow_estimate_every_node (AttnGraph *graph)
{
  guint processors = CLAMP (g_get_num_processors (), 1, 64);
  double density;

  g_return_val_if_fail (graph != NULL, 0.);

  density = every_node_density (graph);
  return every_node_weight (attn_graph_get_n_layers (graph), density) *
         pow (attn_graph_get_n_tokens (graph), EVERY_NODE_EXPONENT) * density * density *
         EVERY_NODE_SECONDS_PER_UNIT * 2. / processors;
}

/**
 * attn_flow_every_node_share:
 * @graph: the attention graph
 * @layers_done: how many layers of the flow of every node are done, bottom
 *   first
 *
 * Returns: the share of attn_flow_estimate_every_node() that its first
 *   @layers_done layers take by its model, 0 to 1: of a dense 12-layer
 *   input, 0.6 % after two layers, 92 % after five
 */
double
attn_flow_every_node_share (AttnGraph *graph,
                            guint      layers_done)
{
  guint L;
  double density;

  g_return_val_if_fail (graph != NULL, 0.);

  L = attn_graph_get_n_layers (graph);
  if (L == 0)
    return 1.;
  density = every_node_density (graph);
  return every_node_weight (MIN (layers_done, L), density) / every_node_weight (L, density);
}

/* The measurement of attn_flow_measure_every_node(). The flow of every
 * node splits by sink: the max-flows to input j from layer l need, for
 * their lower bound, only the max-flows to j from layer l - 1. So the
 * max-flows to a few sinks, spread over the input, every source of every
 * layer, are exactly those the whole view computes for these sinks, with
 * the same bounds settling the same ones, and their time times n / sinks
 * is the whole view's, within the spread between sinks: on a real
 * 292-token input (MiniLM's ALTI contributions) each sink's column of
 * max-flows took 0.66 to 1.29 times the mean of 16 sinks spread over it.
 * The source bounds of every node (0.3 % of that input's time, 3 % of a
 * synthetic 128-token one's) are computed once, as the view does. */
#define SAMPLE_SINKS 4

/* seconds of this thread's processor time */
static double
thread_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct
{
  Net      net;
  guint    n_sinks;
  guint   *sinks;
  gsize    rows;    /* (L + 1) n */
  double  *d;       /* n_sinks rows: each sink's bounds */
  double  *below;   /* n_sinks n: the max-flows to each sink from the layer below */
  double  *next;    /* the same from the layer being computed */
  double  *in;      /* rows: one source's bounds */
  Work    *work;
} Sample;

static void
sample_clear (Sample *sample)
{
  attn_flow_net_clear (&sample->net);
  g_free (sample->sinks);
  g_free (sample->d);
  g_free (sample->below);
  g_free (sample->next);
  g_free (sample->in);
  attn_flow_work_free (sample->work);
}

static gboolean
sample_init (Sample       *sample,
             AttnGraph    *graph,
             guint         n_sinks,
             GCancellable *cancellable)
{
  guint L = attn_graph_get_n_layers (graph), n = attn_graph_get_n_tokens (graph);

  memset (sample, 0, sizeof *sample);
  attn_flow_net_init (&sample->net, graph, L, cancellable);
  sample->n_sinks = CLAMP (n_sinks, 1, n);
  sample->rows = (gsize) (L + 1) * n;
  sample->sinks = g_new (guint, sample->n_sinks);
  for (guint i = 0; i < sample->n_sinks; i++)
    sample->sinks[i] = (guint) (((2 * (guint64) i + 1) * n) / (2 * sample->n_sinks));
  sample->d = g_try_malloc0_n (sample->n_sinks * sample->rows, sizeof (double));
  sample->below = g_try_malloc0_n ((gsize) sample->n_sinks * n, sizeof (double));
  sample->next = g_try_malloc0_n ((gsize) sample->n_sinks * n, sizeof (double));
  sample->in = g_try_malloc0_n (sample->rows, sizeof (double));
  sample->work = attn_flow_work_new (n, L, FALSE);
  return attn_flow_net_is_allocated (&sample->net) && sample->d != NULL && sample->below != NULL &&
         sample->next != NULL && sample->in != NULL && sample->work != NULL;
}

/* The max-flows from layer @l to the sample's sinks, source by source,
 * until @deadline (thread seconds). Adds the seconds of the source bounds
 * and of the max-flows to @bounds and @flows. Returns how many sources are
 * done (n: the layer is; then the values are the layer below's for the
 * next); G_MAXUINT when cancelled. */
static guint
sample_layer (Sample *sample,
              guint   l,
              double  deadline,
              double *bounds,
              double *flows)
{
  guint n = sample->net.n;
  guint p;

  for (p = 0; p < n; p++)
    {
      double t0 = thread_seconds (), t1;

      if (p > 0 && t0 > deadline)
        break;
      if (attn_flow_net_check_cancelled (&sample->net))
        return G_MAXUINT;
      attn_flow_source_bounds (&sample->net, l, p, sample->in);
      t1 = thread_seconds ();
      *bounds += t1 - t0;
      for (guint i = 0; i < sample->n_sinks; i++)
        {
          Sink sk = { sample->d + i * sample->rows, sample->below + (gsize) i * n };
          double v = attn_flow_solve_pair (sample->work, &sample->net, l, p, sample->sinks[i], &sk,
                                           sample->in);

          if (v < 0.)
            return G_MAXUINT;
          sample->next[(gsize) i * n + p] = v;
        }
      *flows += thread_seconds () - t1;
    }
  if (p == n)
    {
      double *t = sample->below;

      sample->below = sample->next;
      sample->next = t;
    }
  return p;
}

/* The sample's sink bounds (D of every layer), and the max-flows of
 * layer 2 (their closed form) as the layer below layer 3's. Returns the
 * thread seconds they took, or -1 when cancelled. */
static double
sample_sinks (Sample *sample)
{
  guint n = sample->net.n, L = sample->net.lmax;
  double t0 = thread_seconds ();

  for (guint m = 2; m <= L; m++)
    {
      if (attn_flow_net_check_cancelled (&sample->net))
        return -1.;
      attn_flow_net_layer_tables (&sample->net, m);
    }
  for (guint i = 0; i < sample->n_sinks; i++)
    {
      double *d = sample->d + i * sample->rows;

      if (!attn_flow_sink_bounds (&sample->net, sample->sinks[i], 1, -1, d, sample->rows))
        return -1.;
      memcpy (sample->below + (gsize) i * n, d + 2 * (gsize) n, n * sizeof (double));
    }
  return thread_seconds () - t0;
}

/**
 * _attn_flow_sample_every_node:
 * @graph: the attention graph
 * @n_sinks: how many sinks to compute every max-flow to (spread over the
 *   input)
 * @budget: the most processor seconds to spend, about (the first source of
 *   a layer is always done)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The work of the flow of every node (attn_method_every_node()), measured
 * on a sample of sinks: every layer's max-flows to @n_sinks of the n
 * inputs, their time scaled by n / @n_sinks, plus the bounds of every node,
 * computed as the view computes them. Past @budget, the layer under way is
 * scaled by the share of its sources done, and each layer above is taken to
 * cost as much.
 *
 * Returns: the seconds of one processor, or -1 with @error set (cancelled,
 *   or out of memory)
 */
double
_attn_flow_sample_every_node (AttnGraph     *graph,
                              guint          n_sinks,
                              double         budget,
                              GCancellable  *cancellable,
                              GError       **error)
{
  double deadline = thread_seconds () + budget;
  double sinks_s, scale, work = 0., last_bounds = 0., last_flows = 0.;
  Sample sample;
  guint L, n, top = 2;

  g_return_val_if_fail (graph != NULL, -1.);

  L = attn_graph_get_n_layers (graph);
  n = attn_graph_get_n_tokens (graph);
  if (!sample_init (&sample, graph, n_sinks, cancellable))
    {
      sample_clear (&sample);
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_IO,
                   _("Not enough memory to compute attention flow for %u tokens"), n);
      return -1.;
    }
  scale = (double) n / sample.n_sinks;
  sinks_s = sample_sinks (&sample);
  if (sinks_s < 0.)
    goto cancelled;
  /* The view computes every sink's bounds again for each layer, up to it:
   * about L / 2 times those of layer L. */
  work = sinks_s * scale * (L + 1) / 2.;
  for (guint l = 3; l <= L; l++)
    {
      double bounds = 0., flows = 0.;
      guint done = sample_layer (&sample, l, deadline, &bounds, &flows);

      if (done == G_MAXUINT)
        goto cancelled;
      last_bounds = bounds * n / done;
      last_flows = flows * scale * n / done;
      work += last_bounds + last_flows;
      top = l;
      if (done < n)
        break;
    }
  /* the layers not measured cost what the last one did, their bounds in
   * proportion to their depth */
  for (guint l = top + 1; l <= L; l++)
    work += last_bounds * l / top + last_flows;
  sample_clear (&sample);
  return work;

cancelled:
  sample_clear (&sample);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
  return -1.;
}

/**
 * attn_flow_measure_every_node:
 * @graph: the attention graph
 * @budget: the most processor seconds to spend measuring, about
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * About how long the flow of every node of every layer takes
 * (attn_method_every_node()) on this machine's processors, measured on the
 * input itself: the max-flows to a few sinks (_attn_flow_sample_every_node():
 * the same max-flows, settled by the same bounds, as the view's for these
 * sinks), scaled to all of them, over the processors (the view keeps them
 * all busy: 1.8 to 2 times its wall time on two). It is within 1.5 times
 * of the processor time measured (halved for two processors) on the
 * synthetic inputs of the benchmarks and on real ones, where
 * attn_flow_estimate_every_node()'s model, fitted on the synthetic ones,
 * said 3 to 14 times too little (BENCHMARKS.md, "The flow of every node,
 * measured on the input": a real 378-token MiniLM input offered at 15 s).
 * It costs about 4 / n of the view's time plus the bounds of every node
 * (0.8 s of one processor on a real 292-token, 6-layer input), at most
 * about @budget: then the layer under way counts by the share of its
 * sources done and the layers above it as costing as much (0.97 to 1.15
 * times the time there, on 2 s of a 170 s view; 0.85 on a real 378-token
 * input whose layers cost more and more up the graph). A time of one processor, not of
 * the clock: a busy machine takes longer. Blocks: call it from a worker
 * thread.
 *
 * Returns: seconds, or -1 with @error set (cancelled, or out of memory)
 */
double
attn_flow_measure_every_node (AttnGraph     *graph,
                              double         budget,
                              GCancellable  *cancellable,
                              GError       **error)
{
  guint processors = CLAMP (g_get_num_processors (), 1, 64);
  double work;

  g_return_val_if_fail (graph != NULL, -1.);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), -1.);

  if (attn_graph_get_n_layers (graph) < 3)
    return attn_flow_estimate_every_node (graph);
  work = _attn_flow_sample_every_node (graph, SAMPLE_SINKS, budget, cancellable, error);
  return work < 0. ? -1. : work / processors;
}
