/* attn-session-work.c: the session's jobs, its cache and its results
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the inputs of the session ask for (_attn_session_refresh()): taken
 * from the cache of traces, or computed by a job of its kind, which replaces
 * the one running; a result is taken only from the job that is still
 * current. Then the trace's scene and the heatmap's values.
 */

#include "config.h"

#include <math.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "attn-figure.h"
#include "attn-render-private.h"
#include "attn-session-private.h"

#define MAX_CACHED_TRACES 64
/* A trace may hold L·n·n edge values (384 MiB at n = 2048 and 12 layers,
 * 192 MiB as a compact un-clicked rollout view's floats), so the cache is
 * bounded in bytes (ATTN_SESSION_TRACE_CACHE_BYTES) as well as in count.
 * Making room, it keeps the un-clicked views of the graph shown (a long
 * input's rollout view is 12 matrix products) and lets the clicks go (one
 * pass over the graph for rollout). */

#define JOB_GRAPH      ATTN_SESSION_JOB_GRAPH
#define JOB_TRACE      ATTN_SESSION_JOB_TRACE
#define JOB_EVERY_NODE ATTN_SESSION_JOB_EVERY_NODE
#define JOB_SCENE      ATTN_SESSION_JOB_SCENE
#define JOB_HEATMAP    ATTN_SESSION_JOB_HEATMAP
#define JOB_ESTIMATE   ATTN_SESSION_JOB_ESTIMATE
#define N_JOBS         ATTN_SESSION_N_JOBS

typedef struct
{
  AttnTrace   *trace;
  AttnExample *example;   /* keeps the example of the key alive */
} CacheEntry;

/* Jobs */

static AttnSessionJob *
job_new (AttnSession        *self,
         AttnSessionJobKind  kind,
         const char         *key)
{
  AttnSessionJob *job = _attn_session_job_new (self, kind, key);

  job->graph = self->graph ? attn_graph_ref (self->graph) : NULL;
  job->example = self->example ? attn_example_ref (self->example) : NULL;
  return job;
}

void
_attn_session_cancel_job (AttnSession        *self,
                          AttnSessionJobKind  kind)
{
  AttnSessionJob *job = self->jobs[kind];

  if (job == NULL)
    return;
  self->jobs[kind] = NULL;
  _attn_session_job_cancel (job);
  _attn_session_job_unref (job);
}

static gboolean
job_running (AttnSession        *self,
             AttnSessionJobKind  kind,
             const char         *key)
{
  return self->jobs[kind] != NULL && (key == NULL || g_strcmp0 (self->jobs[kind]->key, key) == 0);
}

/* Busy and progress */

/**
 * _attn_every_node_share_done:
 * @graph: the graph of an un-clicked flow view
 * @done: its layers done
 * @fraction: how far its job got (#AttnProgress), as attn_trace_continue()
 *   reports it: of the whole view by the count of its layers, those done
 *   before the job started included; < 0: nothing reported yet
 *
 * Returns: the share of the view's work done, by the cost of its layers
 *   (attn_flow_every_node_share(): the lower layers cost most, so after 5
 *   of 12 layers over 90 %, not 42 %), the layer under way by how far the
 *   engine got in it (its max-flows, as many in each layer): what the
 *   progress shows, and what the time spent did
 */
double
_attn_every_node_share_done (AttnGraph *graph,
                             guint      done,
                             double     fraction)
{
  guint L = attn_graph_get_n_layers (graph);
  double within = 0., before, after;

  if (done >= L)
    return 1.;
  /* fraction·L is the layers done and how far into the next (a job
   * resumed after layer 2 of 12 read it as a fraction of its own 10
   * layers: it showed layer 3 done as soon as it began, and jumped a
   * layer ahead after each) */
  if (fraction >= 0.)
    within = CLAMP (fraction * L - done, 0., 1.);
  before = attn_flow_every_node_share (graph, done);
  after = attn_flow_every_node_share (graph, done + 1);
  return before + (after - before) * within;
}

/* How far the un-clicked view is; flow's by the cost of its layers
 * (_attn_every_node_share_done()) */
static double
every_node_fraction (AttnSession *self)
{
  AttnSessionJob *job = self->jobs[JOB_EVERY_NODE];
  guint L = attn_trace_get_n_layers (job->partial), done = attn_trace_get_n_layers_done (job->partial);
  double fraction = attn_progress_get_fraction (job->progress);

  /* the job's own method and graph: the session's may have changed before it is replaced */
  if (attn_trace_get_method (job->partial) != ATTN_METHOD_FLOW || job->graph == NULL)
    /* within the layer being computed when the engine reports it, else whole layers */
    return fraction >= 0. ? fraction : L > 0 ? (double) done / L : 0.;
  return _attn_every_node_share_done (job->graph, done, fraction);
}

/* The share of the view's work that attn_flow_estimate_every_node()'s
 * model is worth once the time per unit of work of the example is
 * measured (_attn_every_node_time_left()) */
#define EVERY_NODE_MODEL_SHARE 0.05

/**
 * _attn_every_node_time_left:
 * @estimate: the model's seconds for the whole view
 *   (attn_flow_estimate_every_node())
 * @spent: seconds spent computing it on this example so far (the run
 *   under way and those stopped before it)
 * @spent_share: the share of the view's work those seconds did
 *   (_attn_every_node_share_done(): the layers they completed, and how far
 *   they got in the one under way)
 * @share_done: the share of its work done and kept (the layer a stop
 *   interrupted is not)
 *
 * Returns: about how many seconds are left of an un-clicked flow view: the
 *   work left, by the model's cost of each layer, at the seconds per unit
 *   of work measured on this example, the model's own counting as a
 *   twentieth of the work: before anything is measured the model's
 *   estimate, after layers 1 and 2 alone (0.6 % of the work) nearly so,
 *   from a tenth of the work on mostly what was measured. The model's
 *   constant was measured on other inputs, on a free machine: a 512-token
 *   input of diffuse attention, offered at 36 s and stopped in layer 3,
 *   was offered its 10 layers left at 9 s (the estimate less the time
 *   since), which took 150 s on a loaded machine; measured, after 17 s,
 *   at 3 minutes, which took 95 s at load 3.5 (the model gives layer 5
 *   the work of layers 3 and 4; at 512 tokens it takes 1 % of the time).
 *   0 when there is no estimate.
 */
double
_attn_every_node_time_left (double estimate,
                            double spent,
                            double spent_share,
                            double share_done)
{
  double whole;

  if (estimate <= 0.)
    return 0.;
  whole = (MAX (spent, 0.) + estimate * EVERY_NODE_MODEL_SHARE) /
          (CLAMP (spent_share, 0., 1.) + EVERY_NODE_MODEL_SHARE);
  return whole * (1. - CLAMP (share_done, 0., 1.));
}

/* The seconds spent on the un-clicked flow view of the job running (this
 * run and those stopped before it), the share of its work they did, and
 * the share done now; all 0 for another method's */
static void
every_node_measure (AttnSession *self,
                    double      *spent,
                    double      *spent_share,
                    double      *share_now)
{
  AttnSessionJob *job = self->jobs[JOB_EVERY_NODE];

  *spent = *spent_share = *share_now = 0.;
  if (attn_trace_get_method (job->partial) != ATTN_METHOD_FLOW || job->graph == NULL)
    return;
  *share_now = every_node_fraction (self);
  *spent = job->spent + (g_get_monotonic_time () - job->started) / (double) G_USEC_PER_SEC;
  *spent_share = job->spent_share + MAX (*share_now - job->started_share, 0.);
}

/**
 * attn_session_get_every_node_time_left:
 *
 * Returns: while the un-clicked view is computed layer by layer and no
 *   node is selected (it is shown): for flow, about how many seconds are
 *   left (_attn_every_node_time_left(): at the time per unit of work
 *   measured on the example), 0 once it is all done; for rollout, which has
 *   no estimate, 0; else -1. #AttnSession:progress says how far it got.
 */
double
attn_session_get_every_node_time_left (AttnSession *self)
{
  AttnSessionJob *job;
  double spent, spent_share, share_now;

  g_return_val_if_fail (ATTN_IS_SESSION (self), -1.);

  /* after a click, the view is resumed behind the selection's result */
  job = self->jobs[JOB_EVERY_NODE];
  if (job == NULL || job->partial == NULL || self->sel_layer != 0)
    return -1.;
  every_node_measure (self, &spent, &spent_share, &share_now);
  return _attn_every_node_time_left (job->estimate, spent, spent_share, share_now);
}

/**
 * attn_session_get_every_node_behind:
 *
 * Returns: whether the flow of every node, asked for (a long input's), is
 *   still computed behind the selection's result: a click does not stop
 *   it, Escape with no node selected does
 */
gboolean
attn_session_get_every_node_behind (AttnSession *self)
{
  AttnSessionJob *job;

  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  job = self->jobs[JOB_EVERY_NODE];
  return job != NULL && job->partial != NULL && self->sel_layer != 0 && self->every_node_requested &&
         attn_trace_get_method (job->partial) == ATTN_METHOD_FLOW;
}

/**
 * attn_session_get_pending:
 * @query: (out) (optional): what is computed: its method, and its node
 *   (layer 0: the un-clicked view)
 * @elapsed: (out) (optional): seconds since it started
 * @time_left: (out) (optional): about how many seconds are left, measured
 *   as it goes (_attn_click_time_left()); -1 until it can be said
 *
 * Returns: whether the trace the inputs ask for (a click's, another
 *   method's) is being computed; until it is, the one before stays shown
 */
gboolean
attn_session_get_pending (AttnSession    *self,
                          AttnTraceQuery *query,
                          double         *elapsed,
                          double         *time_left)
{
  AttnSessionJob *job;
  double seconds, done;

  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  job = self->jobs[JOB_TRACE];
  if (job == NULL)
    return FALSE;
  seconds = (g_get_monotonic_time () - job->started) / (double) G_USEC_PER_SEC;
  done = attn_progress_get_fraction (job->progress);
  if (query != NULL)
    *query = job->query;
  if (elapsed != NULL)
    *elapsed = seconds;
  if (time_left != NULL)
    *time_left = _attn_click_time_left (seconds, done);
  return TRUE;
}

/**
 * _attn_click_time_left:
 * @elapsed: seconds since the computation started
 * @done: the fraction of it done (< 0: nothing reported)
 *
 * Returns: about how many seconds are left at the rate so far, or -1 before
 *   a second has passed and a tenth of it is done: a flow click's first
 *   per cent (its tables, the slowest part) at n = 2048 said "about
 *   10 minutes left" of 15 seconds.
 */
double
_attn_click_time_left (double elapsed,
                       double done)
{
  return elapsed >= 1. && done >= 0.1 ? elapsed * (1. - done) / done : -1.;
}

/* glibc serves a block of 128 KiB or more with a mapping of its own, handed
 * back to the system when the block is freed, until such a block is freed:
 * from then on blocks up to its size (up to 32 MiB) come from the malloc
 * arenas, and what they free stays with the thread that freed it until
 * malloc_trim(), which runs only once the session is idle. The jobs make
 * and free many such blocks (the rollout view's 16 MiB layers, the flow
 * sums' tables, the workers' networks), so at n = 2048 the arenas held
 * freed memory through the open and every flow click. With the threshold
 * fixed, every block of 1 MiB or more has a mapping of its own, whatever
 * was freed before: four flow clicks peak about 135 MiB lower
 * (BENCHMARKS.md, "Several flow clicks in a row"). */
#define MMAP_THRESHOLD (1 << 20)

void
_attn_session_init_malloc (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, MMAP_THRESHOLD);
#endif
}

void
_attn_session_update_busy (AttnSession *self)
{
  gboolean busy = FALSE;
  double progress = -1.;

  for (guint k = 0; k < N_JOBS; k++)
    busy |= self->jobs[k] != NULL;
  /* what the user waits for: the selection's job first; the graph pulses */
  if (self->jobs[JOB_TRACE] != NULL)
    progress = attn_progress_get_fraction (self->jobs[JOB_TRACE]->progress);
  else if (self->jobs[JOB_GRAPH] == NULL && self->jobs[JOB_EVERY_NODE] != NULL)
    progress = every_node_fraction (self);
  else if (self->jobs[JOB_HEATMAP] != NULL)
    progress = attn_progress_get_fraction (self->jobs[JOB_HEATMAP]->progress);

  if (busy != self->busy)
    {
      self->busy = busy;
#ifdef __GLIBC__
      /* idle: the memory the jobs freed goes back to the system; each worker
       * thread's malloc arena kept it (at n = 2048, some hundred MiB more
       * after each few flow clicks) */
      if (!busy)
        malloc_trim (0);
#endif
      _attn_session_notify (self, SESSION_PROP_BUSY);
    }
  if (progress != self->progress)
    {
      self->progress = progress;
      _attn_session_notify (self, SESSION_PROP_PROGRESS);
    }
}

void
_attn_session_progress_changed (AttnProgress *progress,
                                AttnSession  *self)
{
  _attn_session_update_busy (self);
}

/* Starts @job in its slot, cancelling the one there */
static void
start_job (AttnSession    *self,
           AttnSessionJob *job)
{
  _attn_session_cancel_job (self, job->kind);
  self->jobs[job->kind] = job;
  job->started = g_get_monotonic_time ();
  _attn_session_job_run (job);
  _attn_session_update_busy (self);
}

/* Keys and the cache */

static char *
make_graph_key (AttnExample       *example,
                AttnGraphSettings *settings)
{
  const guint *heads;
  guint n_heads;
  g_autofree char *list = NULL;

  heads = attn_graph_settings_get_head_list (settings, &n_heads);
  list = n_heads > 0 ? attn_format_heads (heads, n_heads) : g_strdup ("all");
  return g_strdup_printf ("%p/%s/%.17g/%d/%s", (gpointer) example,
                          attn_weight_kind_get_name (attn_graph_settings_get_weights (settings)),
                          attn_graph_settings_get_residual (settings),
                          attn_graph_settings_get_head_mix (settings), list);
}

static char *
make_trace_key (AttnSession          *self,
                const AttnTraceQuery *query)
{
  if (self->graph_key == NULL)
    return NULL;
  return g_strdup_printf ("%s/%s/%u/%u/%d/%u", self->graph_key, attn_method_get_name (query->method),
                          query->layer, query->layer > 0 ? query->position : 0,
                          query->layer > 0 ? query->sink : -1, query->heat_position);
}

static guint
focus (AttnSession *self)
{
  return self->example ? attn_example_get_focus (self->example) : 0;
}

/* What the selection asks for; without one, the heatmap is at the focus */
void
_attn_session_current_query (AttnSession    *self,
                             AttnTraceQuery *query)
{
  query->method = self->method;
  query->layer = self->sel_layer;
  query->position = self->sel_layer > 0 ? self->sel_position : 0;
  query->sink = self->sel_layer > 0 ? self->sel_sink : -1;
  query->heat_position = self->sel_layer > 0 ? self->sel_position : focus (self);
}

void
_attn_session_cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  attn_trace_unref (entry->trace);
  attn_example_unref (entry->example);
  g_free (entry);
}

static AttnTrace *
cache_lookup (AttnSession *self,
              const char  *key)
{
  CacheEntry *entry = key ? g_hash_table_lookup (self->traces, key) : NULL;

  return entry ? entry->trace : NULL;
}

static gsize
cache_bytes (AttnSession *self)
{
  GHashTableIter iter;
  CacheEntry *entry;
  gsize bytes = 0;

  g_hash_table_iter_init (&iter, self->traces);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    bytes += attn_trace_get_size (entry->trace);
  return bytes;
}

/* Whether the cache keeps @entry at @key when it makes room: an un-clicked
 * view of the graph shown */
static gboolean
cache_keeps (AttnSession *self,
             const char  *key,
             CacheEntry  *entry)
{
  return self->graph_key != NULL && g_str_has_prefix (key, self->graph_key) &&
         key[strlen (self->graph_key)] == '/' &&
         !attn_trace_get_selection (entry->trace, NULL, NULL, NULL);
}

static gboolean
cache_evicts_cb (gpointer key,
                 gpointer value,
                 gpointer user_data)
{
  return !cache_keeps (user_data, key, value);
}

static gboolean
cache_holds_graph_cb (gpointer key,
                      gpointer value,
                      gpointer user_data)
{
  CacheEntry *entry = value;

  return attn_trace_get_graph (entry->trace) != NULL;
}

static void
cache_trace (AttnSession *self,
             const char  *key,
             AttnExample *example,
             AttnTrace   *trace)
{
  CacheEntry *entry;

  if (key == NULL || example == NULL)
    return;
  if (!g_hash_table_contains (self->traces, key) &&
      (g_hash_table_size (self->traces) >= MAX_CACHED_TRACES ||
       cache_bytes (self) + attn_trace_get_size (trace) > self->cache_bytes_max))
    g_hash_table_foreach_remove (self->traces, cache_evicts_cb, self);
  entry = g_new0 (CacheEntry, 1);
  entry->trace = attn_trace_ref (trace);
  entry->example = attn_example_ref (example);
  g_hash_table_insert (self->traces, g_strdup (key), entry);
}

/* The heatmap's values */

static void
set_heatmap_error (AttnSession *self,
                   const char  *message)
{
  if (g_strcmp0 (self->heatmap_error, message) == 0)
    return;
  g_free (self->heatmap_error);
  self->heatmap_error = g_strdup (message);
  _attn_session_notify (self, SESSION_PROP_HEATMAP_ERROR);
}

void
_attn_session_clear_heatmap_partial (AttnSession *self)
{
  _attn_heat_values_clear (&self->heat_partial);
  self->heat_partial_layers = 0;
}

/* Flow's heatmap, the layers done from the bottom, with the other methods
 * of the heatmap: shown until the whole */
void
_attn_session_heatmap_layers_done (AttnSession    *self,
                                   AttnSessionJob *job,
                                   double         *values,
                                   guint           n_layers)
{
  gsize size = (gsize) attn_graph_get_n_layers (job->graph) * attn_graph_get_n_tokens (job->graph);

  if (self->jobs[JOB_HEATMAP] != job || n_layers <= self->heat_partial_layers)
    {
      g_free (values);
      return;
    }
  g_free (self->heat_partial.method[ATTN_METHOD_FLOW]);
  self->heat_partial.method[ATTN_METHOD_FLOW] = values;
  /* the job computed them before flow, and writes to them no more */
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    if (m != ATTN_METHOD_FLOW && job->wanted[m] && job->heat.method[m] != NULL && self->heat_partial.method[m] == NULL)
      self->heat_partial.method[m] = g_memdup2 (job->heat.method[m], size * sizeof (double));
  self->heat_partial_layers = n_layers;
  self->heat_partial_position = job->query.heat_position;
  _attn_session_emit_results_changed (self);
}

static void
take_heatmap (AttnSession    *self,
              AttnSessionJob *job)
{
  _attn_session_clear_heatmap_partial (self);
  g_free (self->heat_key);
  self->heat_key = g_strdup (job->key);
  self->heat_position = job->query.heat_position;
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      g_free (self->heat.method[m]);
      self->heat.method[m] = job->wanted[m] ? g_steal_pointer (&job->heat.method[m]) : NULL;
    }
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    {
      g_free (self->heat.kind[k]);
      self->heat.kind[k] = job->kind_wanted[k] ? g_steal_pointer (&job->heat.kind[k]) : NULL;
    }
  self->n_heatmap_values += job->n_computed;
  set_heatmap_error (self, NULL);
  _attn_session_emit_results_changed (self);
}

/* The heatmap at the heat position for the method (or all three, or the
 * method under every weight kind), reusing the values of the trace shown
 * when it has them all */
void
_attn_session_update_heatmap (AttnSession *self)
{
  g_autoptr(AttnSessionJob) job = NULL;
  g_autofree char *key = NULL;
  AttnTraceQuery query;
  gsize size;
  const double *given;
  guint kinds;

  if (self->graph == NULL)
    return;
  _attn_session_current_query (self, &query);
  kinds = attn_session_get_heatmap_weights (self);
  key = g_strdup_printf ("%s/%u/%s/%x", self->graph_key, query.heat_position,
                         self->all_methods ? "all" : attn_method_get_name (self->method), kinds);
  if (g_strcmp0 (key, self->heat_key) == 0 || job_running (self, JOB_HEATMAP, key))
    return;

  job = job_new (self, JOB_HEATMAP, key);
  job->query = query;
  size = (gsize) attn_graph_get_n_layers (self->graph) * attn_graph_get_n_tokens (self->graph);
  job->settings = attn_graph_settings_ref (self->settings);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    job->wanted[m] = self->all_methods || m == self->method;
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    job->kind_wanted[k] = (kinds & (1u << k)) != 0;
  given = self->trace ? attn_trace_get_heatmap (self->trace) : NULL;
  if (given != NULL && attn_trace_get_method (self->trace) == self->method &&
      attn_trace_get_heat_position (self->trace) == query.heat_position &&
      attn_trace_get_n_tokens (self->trace) == attn_graph_get_n_tokens (self->graph))
    job->heat.method[self->method] = g_memdup2 (given, size * sizeof (double));
  /* the method under the graph's own weights is the one value set above */
  if (job->kind_wanted[attn_graph_get_weights (self->graph)] && job->heat.method[self->method] != NULL)
    job->heat.kind[attn_graph_get_weights (self->graph)] =
      g_memdup2 (job->heat.method[self->method], size * sizeof (double));

  for (guint m = 0; m < ATTN_N_METHODS; m++)
    if (job->wanted[m] && job->heat.method[m] == NULL)
      {
        _attn_session_clear_heatmap_partial (self);
        start_job (self, g_steal_pointer (&job));
        return;
      }
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (job->kind_wanted[k] && job->heat.kind[k] == NULL)
      {
        start_job (self, g_steal_pointer (&job));
        return;
      }
  /* nothing left to compute */
  _attn_session_cancel_job (self, JOB_HEATMAP);
  take_heatmap (self, job);
  _attn_session_update_busy (self);
}

/* Results */

static void
set_scene (AttnSession    *self,
           AttnGraphScene *scene)
{
  if (scene == self->scene)
    return;
  g_clear_pointer (&self->scene, attn_graph_scene_unref);
  self->scene = scene ? attn_graph_scene_ref (scene) : NULL;
  _attn_session_notify (self, SESSION_PROP_SCENE);
}

/* The settings line of a figure of @query under @weights (the caption of
 * saved figures), of @layers_done layers so far (0: all); @out gets the
 * figure settings it describes */
static char *
make_caption (AttnSession          *self,
              const AttnTraceQuery *query,
              AttnWeightKind        weights,
              guint                 layers_done,
              AttnFigureSettings   *out)
{
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;

  settings.method = query->method;
  settings.weights = weights;
  settings.residual = attn_graph_settings_get_residual (self->settings);
  settings.head_mix = attn_graph_settings_get_head_mix (self->settings);
  settings.heads = attn_graph_settings_get_heads (self->settings);
  settings.position = query->layer > 0 ? (int) query->position : ATTN_POSITION_NONE;
  settings.layer = query->layer;
  settings.sink = query->layer > 0 ? query->sink : -1;
  attn_session_get_shown_layers (self, &settings.first_layer, &settings.last_layer);
  settings.layers_done = layers_done;
  *out = settings;
  return attn_figure_describe_settings (&settings, self->example);
}

/* What the scene of a trace of @query is to look like; @trace (nullable):
 * one filling in, whose caption says how far it has got (a figure saved
 * then said "layers 1–12" of 3 drawn) */
static void
set_scene_options (AttnSession          *self,
                   AttnSessionJob       *job,
                   const AttnTraceQuery *query,
                   AttnTrace            *trace)
{
  AttnWeightKind weights = attn_graph_settings_get_weights (self->settings);
  guint done = trace != NULL ? attn_trace_get_n_layers_done (trace) : 0;
  AttnFigureSettings settings;
  g_autofree char *caption = NULL;
  g_auto(GStrv) room = NULL;
  guint first, last;

  if (trace != NULL && done >= attn_trace_get_n_layers (trace))
    done = 0;
  caption = make_caption (self, query, weights, done, &settings);
  /* the captions of any click, method or weights: none moves a node */
  room = _attn_caption_room (&settings, self->example);
  attn_session_get_shown_layers (self, &first, &last);
  _attn_session_job_set_scene (job, &(AttnGraphSceneOptions) {
                                 .exclude_special = self->exclude_special,
                                 .first_layer = first, .last_layer = last,
                                 .weights = weights,
                                 .color_scale = self->color_scale,
                                 .caption_room = (const char * const *) room },
                               caption);
}

/* The scene of the trace shown, with the options now: a job, unless the
 * job that computed the trace built it just so */
static void
update_scene (AttnSession    *self,
              AttnSessionJob *done)
{
  g_autoptr(AttnSessionJob) job = NULL;
  AttnTraceQuery query;

  if (self->trace == NULL || self->example == NULL)
    return;
  job = job_new (self, JOB_SCENE, NULL);
  job->partial = attn_trace_ref (self->trace);
  attn_trace_get_query (self->trace, &query);
  set_scene_options (self, job, &query, self->trace);
  if (done != NULL && done->scene != NULL && g_strcmp0 (done->scene_key, job->scene_key) == 0)
    {
      _attn_session_cancel_job (self, JOB_SCENE);
      set_scene (self, done->scene);
      return;
    }
  start_job (self, g_steal_pointer (&job));
}

/* Shows @trace; @done is the job that computed it, with its scene, or %NULL */
static void
show_trace (AttnSession    *self,
            AttnTrace      *trace,
            AttnSessionJob *done)
{
  if (self->trace != trace)
    {
      g_clear_pointer (&self->trace, attn_trace_unref);
      self->trace = attn_trace_ref (trace);
      _attn_session_notify (self, SESSION_PROP_TRACE);
      _attn_session_emit_results_changed (self);
      update_scene (self, done);
    }
  _attn_session_update_heatmap (self);
}

static char *
every_node_key (AttnSession *self)
{
  AttnTraceQuery query = { self->method, 0, 0, -1, focus (self) };

  return make_trace_key (self, &query);
}

/* The un-clicked view of the method kept in the cache under @key (a
 * request stopped, or one for another example before), or NULL */
static AttnTrace *
every_node_kept (AttnSession *self,
                 const char  *key)
{
  AttnTrace *kept = cache_lookup (self, key);

  return kept != NULL && attn_trace_get_n_layers_done (kept) > 0 ? kept : NULL;
}

/**
 * attn_session_get_every_node_done:
 *
 * Returns: how many layers of the un-clicked view of the method are done
 *   and kept (of a request stopped too, attn_session_stop_every_node())
 */
guint
attn_session_get_every_node_done (AttnSession *self)
{
  g_autofree char *key = NULL;
  AttnTrace *kept;

  g_return_val_if_fail (ATTN_IS_SESSION (self), 0);

  key = every_node_key (self);
  kept = every_node_kept (self, key);
  return kept != NULL ? attn_trace_get_n_layers_done (kept) : 0;
}

/* Whether the un-clicked view of the method is computed layer by layer
 * (flow: up to a size, or on request, or where one was asked for before:
 * complete, or with a layer or more done and not stopped, back on its
 * example it goes on from there rather than offer to start again; rollout:
 * from a size on) */
gboolean
_attn_session_every_node_wanted (AttnSession *self)
{
  guint n = self->example != NULL ? attn_example_get_n_tokens (self->example) : 0;
  g_autofree char *key = NULL;
  AttnTrace *kept;

  if (self->example == NULL)
    return FALSE;
  if (self->method == ATTN_METHOD_ROLLOUT)
    return n >= self->progressive_min;
  if (self->method != ATTN_METHOD_FLOW)
    return FALSE;
  if (n <= ATTN_SESSION_EVERY_NODE_AUTO_MAX || self->every_node_requested)
    return TRUE;
  key = every_node_key (self);
  kept = every_node_kept (self, key);
  return kept != NULL && (attn_trace_is_complete (kept) || g_strcmp0 (key, self->every_node_stopped) != 0);
}

/* The seconds of the whole un-clicked flow view of the graph that
 * attn_flow_measure_every_node() measured, or NULL while it has not */
static const double *
every_node_measured (AttnSession *self)
{
  if (self->graph == NULL || self->graph_key == NULL)
    return NULL;
  return g_hash_table_lookup (self->every_node_measured, self->graph_key);
}

/* The seconds of the whole un-clicked flow view of the graph: measured,
 * else attn_flow_estimate_every_node()'s model */
static double
every_node_whole (AttnSession *self)
{
  const double *measured = every_node_measured (self);

  return measured != NULL ? *measured : attn_flow_estimate_every_node (self->graph);
}

/* Measures the time of the un-clicked flow view offered, on a worker
 * (a second or two of one processor), unless it is measured or measuring */
static void
measure_every_node (AttnSession *self)
{
  AttnSessionJob *job;

  if (!attn_session_get_every_node_offered (self) || every_node_measured (self) != NULL ||
      job_running (self, JOB_ESTIMATE, self->graph_key))
    return;
  job = job_new (self, JOB_ESTIMATE, self->graph_key);
  start_job (self, job);
}

/* The measure is done: the offer (and a view already asked for) take it */
static void
take_every_node_measured (AttnSession    *self,
                          AttnSessionJob *job)
{
  AttnSessionJob *running = self->jobs[JOB_EVERY_NODE];

  g_hash_table_replace (self->every_node_measured, g_strdup (job->key), g_memdup2 (&job->estimate, sizeof (double)));
  if (running != NULL && running->graph == job->graph && attn_trace_get_method (running->partial) == ATTN_METHOD_FLOW)
    running->estimate = job->estimate;
  _attn_session_notify (self, SESSION_PROP_EVERY_NODE_OFFERED);
}

/**
 * attn_session_get_every_node_estimate:
 *
 * Returns: about how many seconds the un-clicked flow view offered
 *   (#AttnSession:every-node-offered) would take, as measured on the
 *   graph (attn_flow_measure_every_node(), on a worker: a second or two
 *   after the graph is built and the view offered); of one stopped
 *   (attn_session_stop_every_node()), those of its layers left, at the
 *   time per unit of work measured on it (_attn_every_node_time_left()),
 *   or by that measure alone when its layers done were not (computed before
 *   another example was shown); 0 when none is offered, the graph is not
 *   built yet or the time is not measured yet (attn_flow_estimate_every_node()'s
 *   model, fitted on synthetic inputs, said 15 s for a real 378-token input
 *   that took 2 to 6 minutes).
 *   #AttnSession:every-node-offered is notified when it changes
 */
double
attn_session_get_every_node_estimate (AttnSession *self)
{
  g_autofree char *key = NULL;
  const double *measured;
  AttnTrace *kept;
  gboolean stopped;

  g_return_val_if_fail (ATTN_IS_SESSION (self), 0.);

  if (!attn_session_get_every_node_offered (self) || self->graph == NULL)
    return 0.;
  measured = every_node_measured (self);
  if (measured == NULL)
    return 0.;
  key = every_node_key (self);
  kept = every_node_kept (self, key);
  if (kept == NULL)
    return *measured;
  stopped = g_strcmp0 (key, self->every_node_stopped) == 0;
  return _attn_every_node_time_left (*measured,
                                     stopped ? self->every_node_spent : 0.,
                                     stopped ? self->every_node_spent_share : 0.,
                                     attn_flow_every_node_share (self->graph, attn_trace_get_n_layers_done (kept)));
}

/**
 * attn_session_stop_every_node:
 *
 * Stops the un-clicked flow view being computed on request
 * (attn_session_request_every_node()): the layers done stay, shown and
 * kept, and the view is offered again, to go on from them. Views computed
 * without a request (up to ATTN_SESSION_EVERY_NODE_AUTO_MAX tokens), and
 * complete ones, stay as they are.
 */
void
attn_session_stop_every_node (AttnSession *self)
{
  double share_now;

  g_return_if_fail (ATTN_IS_SESSION (self));

  if (self->example == NULL || self->jobs[JOB_EVERY_NODE] == NULL ||
      attn_example_get_n_tokens (self->example) <= ATTN_SESSION_EVERY_NODE_AUTO_MAX)
    return;
  self->every_node_requested = FALSE;
  /* what it did in the time it took, the layer it was in included */
  every_node_measure (self, &self->every_node_spent, &self->every_node_spent_share, &share_now);
  g_free (self->every_node_stopped);
  self->every_node_stopped = every_node_key (self);
  _attn_session_refresh (self);
}

/* Starts or resumes the un-clicked view filled in layer by layer, at the focus (where it is
 * shown), unless it is complete or already running */
static void
continue_every_node (AttnSession *self)
{
  g_autofree char *key = NULL;
  AttnSessionJob *job;
  AttnTrace *trace;

  if (self->graph == NULL || self->jobs[JOB_TRACE] != NULL)
    return;
  if (!_attn_session_every_node_wanted (self))
    {
      /* another method's view, or one computed only on request */
      _attn_session_cancel_job (self, JOB_EVERY_NODE);
      return;
    }
  key = every_node_key (self);
  trace = cache_lookup (self, key);
  if ((trace != NULL && attn_trace_is_complete (trace)) || job_running (self, JOB_EVERY_NODE, key))
    return;

  if (trace == NULL)
    {
      g_autoptr(AttnTrace) pending = attn_trace_new_pending (self->method, focus (self),
                                                             attn_graph_get_n_layers (self->graph),
                                                             attn_graph_get_n_tokens (self->graph));

      cache_trace (self, key, self->example, pending);
      trace = pending;
    }
  job = job_new (self, JOB_EVERY_NODE, key);
  job->partial = attn_trace_ref (trace);
  job->started_layers = attn_trace_get_n_layers_done (trace);
  job->started_share = attn_flow_every_node_share (self->graph, job->started_layers);
  job->estimate = self->method == ATTN_METHOD_FLOW ? every_node_whole (self) : 0.;
  if (g_strcmp0 (key, self->every_node_stopped) == 0)
    {
      /* asked for again: the time it took before counts on, with what it did */
      job->spent = self->every_node_spent;
      job->spent_share = self->every_node_spent_share;
      g_clear_pointer (&self->every_node_stopped, g_free);
      self->every_node_spent = self->every_node_spent_share = 0.;
    }
  start_job (self, job);
}

void
_attn_session_layer_done (AttnSession    *self,
                          AttnSessionJob *job,
                          AttnTrace      *trace)
{
  AttnTraceQuery query;
  g_autofree char *key = NULL;

  if (self->jobs[JOB_EVERY_NODE] != job)
    return;
  cache_trace (self, job->key, job->example, trace);
  g_clear_pointer (&job->partial, attn_trace_unref);
  job->partial = attn_trace_ref (trace);
  _attn_session_current_query (self, &query);
  key = make_trace_key (self, &query);
  if (query.layer == 0 && self->jobs[JOB_TRACE] == NULL && g_strcmp0 (key, job->key) == 0)
    show_trace (self, trace, NULL);
  _attn_session_update_busy (self);
}

static void
job_failed (AttnSession    *self,
            AttnSessionJob *job,
            const GError   *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (job->kind == JOB_HEATMAP)
    {
      _attn_session_clear_heatmap_partial (self);
      g_clear_pointer (&self->heat_key, g_free);
      set_heatmap_error (self, error->message);
      _attn_session_emit_results_changed (self);
    }
  else
    _attn_session_emit_failed (self, error->message);
}

void
_attn_session_job_done (AttnSession    *self,
                        AttnSessionJob *job,
                        const GError   *error)
{
  g_autoptr(AttnSessionJob) current = NULL;

  /* a finished trace is worth keeping, even when a newer request replaced it */
  if (error == NULL && job->trace != NULL)
    cache_trace (self, job->key, job->example, job->trace);
  if (self->jobs[job->kind] != job)
    return;
  current = g_steal_pointer (&self->jobs[job->kind]);
  attn_progress_disconnect (job->progress);     /* done: no announcement after this one */

  if (error != NULL && job->kind == JOB_ESTIMATE)
    ;   /* out of memory: offered without its time (the view would not fit either) */
  else if (error != NULL)
    job_failed (self, job, error);
  else if (job->kind == JOB_GRAPH)
    {
      self->graph = g_steal_pointer (&job->new_graph);
      g_free (self->graph_key);
      self->graph_key = g_strdup (job->key);
      _attn_session_refresh (self);
    }
  else if (job->kind == JOB_TRACE)
    {
      show_trace (self, job->trace, job);
      continue_every_node (self);
    }
  else if (job->kind == JOB_SCENE)
    set_scene (self, job->scene);
  else if (job->kind == JOB_HEATMAP)
    take_heatmap (self, job);
  else if (job->kind == JOB_ESTIMATE)
    take_every_node_measured (self, job);
  _attn_session_update_busy (self);
}

static void
update_every_node_offered (AttnSession *self)
{
  _attn_session_notify (self, SESSION_PROP_EVERY_NODE_OFFERED);
}

/* The inputs no longer match the graph (another example, other settings):
 * its jobs stop, and its trace and heatmap values go, since they have its
 * shape (L, n) and nothing may read them with the next one's. The scene
 * stays on screen until the next one replaces it: it carries its own data. */
static void
drop_graph_results (AttnSession *self)
{
  gboolean had_results = self->trace != NULL || self->heat_key != NULL;

  _attn_session_cancel_job (self, JOB_TRACE);
  _attn_session_cancel_job (self, JOB_EVERY_NODE);
  _attn_session_cancel_job (self, JOB_SCENE);
  _attn_session_cancel_job (self, JOB_HEATMAP);
  _attn_session_cancel_job (self, JOB_ESTIMATE);
  /* compact traces hold their graph: kept, they would keep it beside the next */
  g_hash_table_foreach_remove (self->traces, cache_holds_graph_cb, NULL);
  g_clear_pointer (&self->graph, attn_graph_unref);
  g_clear_pointer (&self->graph_key, g_free);
  g_clear_pointer (&self->heat_key, g_free);
  _attn_session_clear_heatmap_partial (self);
  _attn_heat_values_clear (&self->heat);
  if (self->trace != NULL)
    {
      g_clear_pointer (&self->trace, attn_trace_unref);
      _attn_session_notify (self, SESSION_PROP_TRACE);
    }
  if (had_results)
    _attn_session_emit_results_changed (self);
}

/* What the inputs ask for: from the cache, or started as a job */
void
_attn_session_refresh (AttnSession *self)
{
  g_autofree char *graph_key = NULL;
  g_autofree char *key = NULL;
  g_autoptr(AttnTrace) pending = NULL;
  AttnTraceQuery query;
  AttnTrace *trace;
  AttnSessionJob *job;

  update_every_node_offered (self);
  if (self->example == NULL)
    {
      attn_session_cancel (self);
      return;
    }

  graph_key = make_graph_key (self->example, self->settings);
  if (self->graph == NULL || g_strcmp0 (graph_key, self->graph_key) != 0)
    {
      /* every result of the old graph is now stale */
      drop_graph_results (self);
      if (!job_running (self, JOB_GRAPH, graph_key))
        {
          job = job_new (self, JOB_GRAPH, graph_key);
          job->settings = attn_graph_settings_ref (self->settings);
          start_job (self, job);
        }
      _attn_session_update_busy (self);
      return;
    }

  measure_every_node (self);
  _attn_session_cancel_job (self, JOB_TRACE);
  _attn_session_current_query (self, &query);
  key = make_trace_key (self, &query);
  trace = cache_lookup (self, key);

  if (query.layer == 0 && (query.method == ATTN_METHOD_FLOW || _attn_session_every_node_wanted (self)))
    {
      /* the un-clicked view: as far as it is computed, else pending */
      if (trace == NULL)
        trace = pending = attn_trace_new_pending (query.method, query.heat_position,
                                                  attn_graph_get_n_layers (self->graph),
                                                  attn_graph_get_n_tokens (self->graph));
    }
  else
    /* a click takes priority over the un-clicked flow view: pause it */
    _attn_session_cancel_job (self, JOB_EVERY_NODE);
  if (trace != NULL)
    {
      show_trace (self, trace, NULL);
      continue_every_node (self);
      _attn_session_update_busy (self);
      return;
    }

  job = job_new (self, JOB_TRACE, key);
  job->query = query;
  set_scene_options (self, job, &query, NULL);
  start_job (self, job);
}


void
_attn_session_update_scene (AttnSession *self)
{
  update_scene (self, NULL);
}
