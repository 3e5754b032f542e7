/* attn-session.c: the work behind the window for one open example
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session owns what is computed for the example on show, under its
 * settings and method: the graph, the trace of the selection (or of no
 * selection), the un-clicked flow view layer by layer, the heatmap's values
 * and a cache of traces. Every computation runs as a job on a worker thread;
 * a job of a kind replaces the one running (cancel and replace), and a result
 * is taken only from the job that is still current. The window only sets
 * inputs and shows the results.
 */

#include "config.h"

#include <string.h>

#include "attn-session.h"
#include "attn-session-private.h"

#define MAX_CACHED_TRACES 64
/* each trace holds L·n·n edge values: 96 MiB at n = 1024, so the cache is
 * bounded in bytes as well as in count */
#define TRACE_CACHE_BYTES ((gsize) 256 << 20)

typedef enum
{
  JOB_GRAPH,
  JOB_TRACE,
  JOB_EVERY_NODE,
  JOB_HEATMAP,
  N_JOBS,
} JobKind;

typedef struct
{
  JobKind             kind;
  GWeakRef            session;
  GCancellable       *cancellable;
  AttnProgress       *progress;
  GMainContext       *context;
  char               *key;

  /* inputs: immutable or owned */
  AttnExample        *example;
  AttnGraphSettings  *settings;
  AttnGraph          *graph;
  AttnTraceQuery      query;
  AttnTrace          *partial;
  double             *values[ATTN_N_METHODS];   /* heatmap: given, or to compute when wanted */
  gboolean            wanted[ATTN_N_METHODS];

  /* results */
  AttnGraph          *new_graph;
  AttnTrace          *trace;
  guint               n_computed;
} Job;

typedef struct
{
  AttnTrace   *trace;
  AttnExample *example;   /* keeps the example of the key alive */
} CacheEntry;

struct _AttnSession
{
  GObject             parent_instance;

  /* inputs */
  AttnExample        *example;
  AttnGraphSettings  *settings;
  AttnMethod          method;
  gboolean            all_methods;
  guint               sel_layer;       /* 0: no node selected */
  guint               sel_position;
  int                 sel_sink;
  gboolean            every_node_requested;

  /* results */
  AttnGraph          *graph;
  char               *graph_key;
  GHashTable         *traces;          /* key -> CacheEntry */
  AttnTrace          *trace;
  char               *heat_key;
  guint               heat_position;
  double             *heat[ATTN_N_METHODS];
  char               *heatmap_error;

  /* work */
  Job                *jobs[N_JOBS];
  gboolean            busy;
  double              progress;
  guint               n_heatmap_values;
};

G_DEFINE_FINAL_TYPE (AttnSession, attn_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EXAMPLE,
  PROP_SETTINGS,
  PROP_METHOD,
  PROP_ALL_METHODS,
  PROP_BUSY,
  PROP_PROGRESS,
  PROP_TRACE,
  PROP_EVERY_NODE_OFFERED,
  PROP_HEATMAP_ERROR,
  N_PROPS
};

enum {
  RESULTS_CHANGED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void refresh (AttnSession *self);

/* Jobs */

static void
job_clear (gpointer data)
{
  Job *job = data;

  g_weak_ref_clear (&job->session);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->progress, attn_progress_unref);
  g_main_context_unref (job->context);
  g_free (job->key);
  g_clear_pointer (&job->example, attn_example_unref);
  g_clear_pointer (&job->settings, attn_graph_settings_unref);
  g_clear_pointer (&job->graph, attn_graph_unref);
  g_clear_pointer (&job->partial, attn_trace_unref);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    g_free (job->values[m]);
  g_clear_pointer (&job->new_graph, attn_graph_unref);
  g_clear_pointer (&job->trace, attn_trace_unref);
}

static Job *
job_ref (Job *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
job_unref (Job *job)
{
  g_atomic_rc_box_release_full (job, job_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_unref)

static void progress_changed_cb (AttnProgress *progress,
                                 AttnSession  *self);

static Job *
job_new (AttnSession *self,
         JobKind      kind,
         const char  *key)
{
  Job *job = g_atomic_rc_box_new0 (Job);

  job->kind = kind;
  g_weak_ref_init (&job->session, self);
  job->cancellable = g_cancellable_new ();
  job->progress = attn_progress_new (G_CALLBACK (progress_changed_cb), self);
  job->context = g_main_context_ref_thread_default ();
  job->key = g_strdup (key);
  job->graph = self->graph ? attn_graph_ref (self->graph) : NULL;
  return job;
}

static void
job_progress_cb (double   fraction,
                 gpointer user_data)
{
  Job *job = user_data;

  attn_progress_report (fraction, job->progress);
}

typedef struct
{
  Job       *job;
  AttnTrace *trace;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  job_unref (delivery->job);
  attn_trace_unref (delivery->trace);
  g_free (delivery);
}

static gboolean deliver_layer_cb (gpointer data);

/* on the worker: a layer of the un-clicked view is ready */
static void
layer_done_cb (AttnTrace *trace,
               gpointer   user_data)
{
  Job *job = user_data;
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->job = job_ref (job);
  delivery->trace = attn_trace_ref (trace);
  attn_main_context_add_idle (job->context, G_PRIORITY_DEFAULT, deliver_layer_cb, delivery,
                              delivery_free);
}

static gboolean
compute_heatmap (Job           *job,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gsize size = (gsize) attn_graph_get_n_layers (job->graph) * attn_graph_get_n_tokens (job->graph);
  AttnFlowOptions options = { FALSE, 0, NULL, NULL };

  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      if (!job->wanted[m] || job->values[m] != NULL)
        continue;
      job->values[m] = g_new (double, size);
      if (!attn_method_importance (m, job->graph, 0, job->query.heat_position, &options,
                                   job->values[m], cancellable, error))
        return FALSE;
      job->n_computed++;
    }
  return TRUE;
}

static void
job_worker (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case JOB_GRAPH:
      job->new_graph = attn_graph_new_from_settings (job->example, job->settings, cancellable,
                                                     &error);
      ok = job->new_graph != NULL;
      break;
    case JOB_TRACE:
      job->trace = attn_trace_compute (job->graph, &job->query, job_progress_cb, job, cancellable,
                                       &error);
      ok = job->trace != NULL;
      break;
    case JOB_EVERY_NODE:
      job->trace = attn_trace_continue (job->graph, job->partial, layer_done_cb, job_progress_cb,
                                        job, cancellable, &error);
      ok = job->trace != NULL;
      break;
    case JOB_HEATMAP:
      ok = compute_heatmap (job, cancellable, &error);
      break;
    case N_JOBS:
    default:
      g_assert_not_reached ();
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
cancel_job (AttnSession *self,
            JobKind      kind)
{
  Job *job = self->jobs[kind];

  if (job == NULL)
    return;
  self->jobs[kind] = NULL;
  g_cancellable_cancel (job->cancellable);
  attn_progress_disconnect (job->progress);
  job_unref (job);
}

static gboolean
job_running (AttnSession *self,
             JobKind      kind,
             const char  *key)
{
  return self->jobs[kind] != NULL && (key == NULL || g_strcmp0 (self->jobs[kind]->key, key) == 0);
}

/* Busy and progress */

static double
every_node_fraction (AttnSession *self)
{
  Job *job = self->jobs[JOB_EVERY_NODE];
  double fraction = attn_progress_get_fraction (job->progress);

  /* within the layer being computed when the engine reports it, else whole layers */
  if (fraction >= 0.)
    return fraction;
  return (double) attn_trace_get_n_layers_done (job->partial) / attn_trace_get_n_layers (job->partial);
}

static void
update_busy (AttnSession *self)
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

  if (busy != self->busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  if (progress != self->progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
}

static void
progress_changed_cb (AttnProgress *progress,
                     AttnSession  *self)
{
  update_busy (self);
}

static void job_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

/* Starts @job in its slot, cancelling the one there */
static void
start_job (AttnSession *self,
           Job         *job)
{
  g_autoptr(GTask) task = NULL;

  cancel_job (self, job->kind);
  self->jobs[job->kind] = job;
  task = g_task_new (NULL, job->cancellable, job_done_cb, job_ref (job));
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job_ref (job), (GDestroyNotify) job_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, job_worker);
  update_busy (self);
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
  return g_strdup_printf ("%p/%.17g/%d/%s", (gpointer) example,
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
static void
current_query (AttnSession    *self,
               AttnTraceQuery *query)
{
  query->method = self->method;
  query->layer = self->sel_layer;
  query->position = self->sel_layer > 0 ? self->sel_position : 0;
  query->sink = self->sel_layer > 0 ? self->sel_sink : -1;
  query->heat_position = self->sel_layer > 0 ? self->sel_position : focus (self);
}

static void
cache_entry_free (gpointer data)
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

static void
cache_trace (AttnSession *self,
             const char  *key,
             AttnExample *example,
             AttnTrace   *trace)
{
  gsize bytes = attn_trace_get_size (trace);
  guint max = (guint) CLAMP (TRACE_CACHE_BYTES / MAX (bytes, 1), 2, MAX_CACHED_TRACES);
  CacheEntry *entry;

  if (key == NULL || example == NULL)
    return;
  if (g_hash_table_size (self->traces) >= max && !g_hash_table_contains (self->traces, key))
    g_hash_table_remove_all (self->traces);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEATMAP_ERROR]);
}

static void
take_heatmap (AttnSession *self,
              Job         *job)
{
  g_free (self->heat_key);
  self->heat_key = g_strdup (job->key);
  self->heat_position = job->query.heat_position;
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      g_free (self->heat[m]);
      self->heat[m] = job->wanted[m] ? g_steal_pointer (&job->values[m]) : NULL;
    }
  self->n_heatmap_values += job->n_computed;
  set_heatmap_error (self, NULL);
  g_signal_emit (self, signals[RESULTS_CHANGED], 0);
}

/* The heatmap at the heat position for the method (or all three), reusing
 * the values of the trace shown when it has them all */
static void
update_heatmap (AttnSession *self)
{
  g_autoptr(Job) job = NULL;
  g_autofree char *key = NULL;
  AttnTraceQuery query;
  gsize size;
  const double *given;

  if (self->graph == NULL)
    return;
  current_query (self, &query);
  key = g_strdup_printf ("%s/%u/%s", self->graph_key, query.heat_position,
                         self->all_methods ? "all" : attn_method_get_name (self->method));
  if (g_strcmp0 (key, self->heat_key) == 0 || job_running (self, JOB_HEATMAP, key))
    return;

  job = job_new (self, JOB_HEATMAP, key);
  job->query = query;
  size = (gsize) attn_graph_get_n_layers (self->graph) * attn_graph_get_n_tokens (self->graph);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    job->wanted[m] = self->all_methods || m == self->method;
  given = self->trace ? attn_trace_get_heatmap (self->trace) : NULL;
  if (given != NULL && attn_trace_get_method (self->trace) == self->method &&
      attn_trace_get_heat_position (self->trace) == query.heat_position &&
      attn_trace_get_n_tokens (self->trace) == attn_graph_get_n_tokens (self->graph))
    job->values[self->method] = g_memdup2 (given, size * sizeof (double));

  for (guint m = 0; m < ATTN_N_METHODS; m++)
    if (job->wanted[m] && job->values[m] == NULL)
      {
        start_job (self, g_steal_pointer (&job));
        return;
      }
  /* nothing left to compute */
  cancel_job (self, JOB_HEATMAP);
  take_heatmap (self, job);
  update_busy (self);
}

/* Results */

static void
show_trace (AttnSession *self,
            AttnTrace   *trace)
{
  if (self->trace != trace)
    {
      g_clear_pointer (&self->trace, attn_trace_unref);
      self->trace = attn_trace_ref (trace);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACE]);
      g_signal_emit (self, signals[RESULTS_CHANGED], 0);
    }
  update_heatmap (self);
}

static gboolean
every_node_wanted (AttnSession *self)
{
  return self->example != NULL && self->method == ATTN_METHOD_FLOW &&
         (attn_example_get_n_tokens (self->example) <= ATTN_SESSION_EVERY_NODE_AUTO_MAX ||
          self->every_node_requested);
}

static char *
every_node_key (AttnSession *self)
{
  AttnTraceQuery query = { ATTN_METHOD_FLOW, 0, 0, -1, focus (self) };

  return make_trace_key (self, &query);
}

/* Starts or resumes the un-clicked flow view, at the focus (where it is
 * shown), unless it is complete or already running */
static void
continue_every_node (AttnSession *self)
{
  g_autofree char *key = NULL;
  Job *job;
  AttnTrace *trace;

  if (self->graph == NULL || !every_node_wanted (self) || self->jobs[JOB_TRACE] != NULL)
    return;
  key = every_node_key (self);
  trace = cache_lookup (self, key);
  if ((trace != NULL && attn_trace_is_complete (trace)) || job_running (self, JOB_EVERY_NODE, key))
    return;

  if (trace == NULL)
    {
      g_autoptr(AttnTrace) pending = attn_trace_new_pending (ATTN_METHOD_FLOW, focus (self),
                                                             attn_graph_get_n_layers (self->graph),
                                                             attn_graph_get_n_tokens (self->graph));

      cache_trace (self, key, self->example, pending);
      trace = pending;
    }
  job = job_new (self, JOB_EVERY_NODE, key);
  job->example = attn_example_ref (self->example);
  job->partial = attn_trace_ref (trace);
  start_job (self, job);
}

static gboolean
deliver_layer_cb (gpointer data)
{
  Delivery *delivery = data;
  g_autoptr(AttnSession) self = g_weak_ref_get (&delivery->job->session);
  AttnTraceQuery query;
  g_autofree char *key = NULL;

  if (self == NULL || self->jobs[JOB_EVERY_NODE] != delivery->job)
    return G_SOURCE_REMOVE;
  cache_trace (self, delivery->job->key, delivery->job->example, delivery->trace);
  g_clear_pointer (&delivery->job->partial, attn_trace_unref);
  delivery->job->partial = attn_trace_ref (delivery->trace);
  current_query (self, &query);
  key = make_trace_key (self, &query);
  if (query.method == ATTN_METHOD_FLOW && query.layer == 0 && self->jobs[JOB_TRACE] == NULL &&
      g_strcmp0 (key, delivery->job->key) == 0)
    show_trace (self, delivery->trace);
  update_busy (self);
  return G_SOURCE_REMOVE;
}

static void
job_failed (AttnSession *self,
            Job         *job,
            GError      *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (job->kind == JOB_HEATMAP)
    {
      g_free (self->heat_key);
      self->heat_key = NULL;
      set_heatmap_error (self, error->message);
      g_signal_emit (self, signals[RESULTS_CHANGED], 0);
    }
  else
    g_signal_emit (self, signals[FAILED], 0, error->message);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(AttnSession) self = g_weak_ref_get (&job->session);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL)
    return;
  /* a finished trace is worth keeping, even when a newer request replaced it */
  if (ok && job->trace != NULL)
    cache_trace (self, job->key, job->example ? job->example : self->example, job->trace);
  if (self->jobs[job->kind] != job)
    return;
  self->jobs[job->kind] = NULL;
  job_unref (job);

  if (!ok)
    job_failed (self, job, error);
  else if (job->kind == JOB_GRAPH)
    {
      self->graph = g_steal_pointer (&job->new_graph);
      g_free (self->graph_key);
      self->graph_key = g_strdup (job->key);
      refresh (self);
    }
  else if (job->kind == JOB_TRACE)
    {
      show_trace (self, job->trace);
      continue_every_node (self);
    }
  else if (job->kind == JOB_HEATMAP)
    take_heatmap (self, job);
  update_busy (self);
}

static void
update_every_node_offered (AttnSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVERY_NODE_OFFERED]);
}

/* What the inputs ask for: from the cache, or started as a job */
static void
refresh (AttnSession *self)
{
  g_autofree char *graph_key = NULL;
  g_autofree char *key = NULL;
  AttnTraceQuery query;
  AttnTrace *trace;
  Job *job;

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
      cancel_job (self, JOB_TRACE);
      cancel_job (self, JOB_EVERY_NODE);
      cancel_job (self, JOB_HEATMAP);
      g_clear_pointer (&self->graph, attn_graph_unref);
      g_clear_pointer (&self->graph_key, g_free);
      if (!job_running (self, JOB_GRAPH, graph_key))
        {
          job = job_new (self, JOB_GRAPH, graph_key);
          job->example = attn_example_ref (self->example);
          job->settings = attn_graph_settings_ref (self->settings);
          start_job (self, job);
        }
      update_busy (self);
      return;
    }

  cancel_job (self, JOB_TRACE);
  current_query (self, &query);
  key = make_trace_key (self, &query);
  trace = cache_lookup (self, key);

  if (query.method == ATTN_METHOD_FLOW && query.layer == 0)
    {
      g_autoptr(AttnTrace) pending = NULL;

      if (trace == NULL)
        trace = pending = attn_trace_new_pending (ATTN_METHOD_FLOW, query.heat_position,
                                                  attn_graph_get_n_layers (self->graph),
                                                  attn_graph_get_n_tokens (self->graph));
      show_trace (self, trace);
      continue_every_node (self);
      update_busy (self);
      return;
    }

  /* a click takes priority over the un-clicked flow view: pause it */
  cancel_job (self, JOB_EVERY_NODE);
  if (trace != NULL)
    {
      show_trace (self, trace);
      continue_every_node (self);
      update_busy (self);
      return;
    }

  job = job_new (self, JOB_TRACE, key);
  job->example = attn_example_ref (self->example);
  job->query = query;
  start_job (self, job);
}

/* GObject */

static void
attn_session_dispose (GObject *object)
{
  AttnSession *self = ATTN_SESSION (object);

  attn_session_cancel (self);

  G_OBJECT_CLASS (attn_session_parent_class)->dispose (object);
}

static void
attn_session_finalize (GObject *object)
{
  AttnSession *self = ATTN_SESSION (object);

  g_clear_pointer (&self->example, attn_example_unref);
  g_clear_pointer (&self->settings, attn_graph_settings_unref);
  g_clear_pointer (&self->graph, attn_graph_unref);
  g_free (self->graph_key);
  g_clear_pointer (&self->traces, g_hash_table_unref);
  g_clear_pointer (&self->trace, attn_trace_unref);
  g_free (self->heat_key);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    g_free (self->heat[m]);
  g_free (self->heatmap_error);

  G_OBJECT_CLASS (attn_session_parent_class)->finalize (object);
}

static void
attn_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AttnSession *self = ATTN_SESSION (object);

  switch (prop_id)
    {
    case PROP_EXAMPLE:
      g_value_set_boxed (value, self->example);
      break;
    case PROP_SETTINGS:
      g_value_set_boxed (value, self->settings);
      break;
    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;
    case PROP_ALL_METHODS:
      g_value_set_boolean (value, self->all_methods);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_TRACE:
      g_value_set_boxed (value, self->trace);
      break;
    case PROP_EVERY_NODE_OFFERED:
      g_value_set_boolean (value, attn_session_get_every_node_offered (self));
      break;
    case PROP_HEATMAP_ERROR:
      g_value_set_string (value, self->heatmap_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AttnSession *self = ATTN_SESSION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      attn_session_set_settings (self, g_value_get_boxed (value));
      break;
    case PROP_METHOD:
      attn_session_set_method (self, g_value_get_enum (value));
      break;
    case PROP_ALL_METHODS:
      attn_session_set_all_methods (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_session_class_init (AttnSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = attn_session_dispose;
  object_class->finalize = attn_session_finalize;
  object_class->get_property = attn_session_get_property;
  object_class->set_property = attn_session_set_property;

  properties[PROP_EXAMPLE] =
    g_param_spec_boxed ("example", NULL, NULL, ATTN_TYPE_EXAMPLE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_boxed ("settings", NULL, NULL, ATTN_TYPE_GRAPH_SETTINGS,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL, ATTN_TYPE_METHOD, ATTN_METHOD_ROLLOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALL_METHODS] =
    g_param_spec_boolean ("all-methods", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:busy:
   *
   * Whether a job runs: the graph, the selection's trace, the un-clicked
   * flow view or the heatmap's values.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:progress:
   *
   * The fraction done of the job the user waits for (the selection's
   * trace, else the un-clicked flow view), or -1 when it does not say.
   */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, -1., 1., -1.,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:trace:
   *
   * What to show: the trace of the selection (or of no selection) under
   * the method, once computed; the un-clicked flow view grows layer by layer.
   */
  properties[PROP_TRACE] =
    g_param_spec_boxed ("trace", NULL, NULL, ATTN_TYPE_TRACE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnSession:every-node-offered:
   *
   * Whether the un-clicked flow view waits for attn_session_request_every_node()
   * (more than %ATTN_SESSION_EVERY_NODE_AUTO_MAX tokens).
   */
  properties[PROP_EVERY_NODE_OFFERED] =
    g_param_spec_boolean ("every-node-offered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEATMAP_ERROR] =
    g_param_spec_string ("heatmap-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AttnSession::results-changed:
   *
   * The trace or the heatmap's values changed.
   */
  signals[RESULTS_CHANGED] =
    g_signal_new ("results-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * AttnSession::failed:
   * @message: what went wrong, for the user
   *
   * A computation failed (not a cancelled one; the heatmap's failures go to
   * #AttnSession:heatmap-error).
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
attn_session_init (AttnSession *self)
{
  self->settings = attn_graph_settings_new_default ();
  self->method = ATTN_METHOD_ROLLOUT;
  self->sel_sink = -1;
  self->progress = -1.;
  self->traces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
}

AttnSession *
attn_session_new (void)
{
  return g_object_new (ATTN_TYPE_SESSION, NULL);
}

/**
 * attn_session_set_example:
 * @example: (nullable): the example to work on
 * @settings: (nullable): its graph settings; %NULL keeps the current ones
 *
 * Shows @example without a selection (the un-clicked flow view waits for a
 * request again), under @settings.
 */
void
attn_session_set_example (AttnSession       *self,
                          AttnExample       *example,
                          AttnGraphSettings *settings)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (settings != NULL && settings != self->settings)
    {
      attn_graph_settings_ref (settings);
      g_clear_pointer (&self->settings, attn_graph_settings_unref);
      self->settings = settings;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
    }
  if (example != self->example)
    {
      if (example != NULL)
        attn_example_ref (example);
      g_clear_pointer (&self->example, attn_example_unref);
      self->example = example;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXAMPLE]);
    }
  self->sel_layer = 0;
  self->sel_position = 0;
  self->sel_sink = -1;
  self->every_node_requested = FALSE;
  cancel_job (self, JOB_EVERY_NODE);
  refresh (self);
}

/**
 * attn_session_get_example:
 *
 * Returns: (transfer none) (nullable): the example
 */
AttnExample *
attn_session_get_example (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->example;
}

/**
 * attn_session_set_settings:
 * @settings: how to build the example's graph
 */
void
attn_session_set_settings (AttnSession       *self,
                           AttnGraphSettings *settings)
{
  g_return_if_fail (ATTN_IS_SESSION (self));
  g_return_if_fail (settings != NULL);

  if (settings == self->settings)
    return;
  attn_graph_settings_ref (settings);
  g_clear_pointer (&self->settings, attn_graph_settings_unref);
  self->settings = settings;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
  refresh (self);
}

/**
 * attn_session_get_settings:
 *
 * Returns: (transfer none): the graph settings
 */
AttnGraphSettings *
attn_session_get_settings (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->settings;
}

void
attn_session_set_method (AttnSession *self,
                         AttnMethod   method)
{
  g_return_if_fail (ATTN_IS_SESSION (self));
  g_return_if_fail (method < ATTN_N_METHODS);

  if (method == self->method)
    return;
  self->method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
  refresh (self);
}

AttnMethod
attn_session_get_method (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), ATTN_METHOD_ROLLOUT);

  return self->method;
}

/**
 * attn_session_set_all_methods:
 * @all_methods: the heatmap's values for raw attention, rollout and flow,
 *   not only for the method
 */
void
attn_session_set_all_methods (AttnSession *self,
                              gboolean     all_methods)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (all_methods == self->all_methods)
    return;
  self->all_methods = all_methods;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALL_METHODS]);
  update_heatmap (self);
}

gboolean
attn_session_get_all_methods (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  return self->all_methods;
}

/**
 * attn_session_select:
 * @layer: the node's layer 1..L, or 0 for no selection
 * @position: its position
 * @sink: an input token: only the paths to it; -1 for all
 *
 * Selects a node and computes its trace (a new selection cancels the
 * running one).
 */
void
attn_session_select (AttnSession *self,
                     guint        layer,
                     guint        position,
                     int          sink)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  self->sel_layer = layer;
  self->sel_position = layer > 0 ? position : 0;
  self->sel_sink = layer > 0 ? sink : -1;
  refresh (self);
}

/**
 * attn_session_activate_node:
 * @layer: 0..L
 * @position: the node's position
 *
 * What a click on node (@layer, @position) does: a node above the inputs
 * becomes the selection; an input token restricts the selection's paths to
 * it, or, clicked again, lifts the restriction.
 *
 * Returns: %FALSE for an input token while no node is selected (nothing
 *   happens)
 */
gboolean
attn_session_activate_node (AttnSession *self,
                            guint        layer,
                            guint        position)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  if (self->example == NULL)
    return TRUE;
  if (layer > 0)
    attn_session_select (self, layer, position, -1);
  else if (self->sel_layer == 0)
    return FALSE;
  else
    attn_session_select (self, self->sel_layer, self->sel_position,
                         self->sel_sink == (int) position ? -1 : (int) position);
  return TRUE;
}

/**
 * attn_session_get_selection:
 * @layer: (out) (optional)
 * @position: (out) (optional)
 * @sink: (out) (optional)
 *
 * Returns: whether a node is selected (asked for; its trace may still be
 *   computing)
 */
gboolean
attn_session_get_selection (AttnSession *self,
                            guint       *layer,
                            guint       *position,
                            int         *sink)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  if (layer)
    *layer = self->sel_layer;
  if (position)
    *position = self->sel_position;
  if (sink)
    *sink = self->sel_sink;
  return self->sel_layer > 0;
}

void
attn_session_clear_selection (AttnSession *self)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  if (self->sel_layer > 0)
    attn_session_select (self, 0, 0, -1);
}

/**
 * attn_session_get_heat_position:
 *
 * Returns: the position of the heatmap: the selected node's, else the focus
 */
guint
attn_session_get_heat_position (AttnSession *self)
{
  AttnTraceQuery query;

  g_return_val_if_fail (ATTN_IS_SESSION (self), 0);

  current_query (self, &query);
  return query.heat_position;
}

/**
 * attn_session_request_every_node:
 *
 * Computes the un-clicked flow view of a long input too (see
 * #AttnSession:every-node-offered).
 */
void
attn_session_request_every_node (AttnSession *self)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  self->every_node_requested = TRUE;
  refresh (self);
}

gboolean
attn_session_get_every_node_offered (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  return self->example != NULL && self->method == ATTN_METHOD_FLOW && self->sel_layer == 0 &&
         !every_node_wanted (self);
}

gboolean
attn_session_get_busy (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), FALSE);

  return self->busy;
}

double
attn_session_get_progress (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), -1.);

  return self->progress;
}

/**
 * attn_session_get_graph:
 *
 * Returns: (transfer none) (nullable): the example's graph, once built
 */
AttnGraph *
attn_session_get_graph (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->graph;
}

/**
 * attn_session_get_trace:
 *
 * Returns: (transfer none) (nullable): what to show (#AttnSession:trace)
 */
AttnTrace *
attn_session_get_trace (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->trace;
}

/**
 * attn_session_get_heatmap:
 * @method: a method
 *
 * Returns: (nullable) (array): L·n values, `[(l-1)*n + j]` the importance of
 *   input j for node (l, heat position) under @method, or %NULL when they are
 *   not there (not asked for, or computing); see
 *   attn_session_get_heatmap_position()
 */
const double *
attn_session_get_heatmap (AttnSession *self,
                          AttnMethod   method)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);
  g_return_val_if_fail (method < ATTN_N_METHODS, NULL);

  return self->heat[method];
}

/**
 * attn_session_get_heatmap_position:
 *
 * Returns: the position of the heatmap's values (attn_session_get_heatmap()),
 *   which trail attn_session_get_heat_position() while they are computed
 */
guint
attn_session_get_heatmap_position (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), 0);

  return self->heat_position;
}

/**
 * attn_session_get_heatmap_error:
 *
 * Returns: (nullable): why the heatmap's values could not be computed
 */
const char *
attn_session_get_heatmap_error (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->heatmap_error;
}

/**
 * attn_session_cancel:
 *
 * Cancels every job (the window closes); the results so far stay.
 */
void
attn_session_cancel (AttnSession *self)
{
  g_return_if_fail (ATTN_IS_SESSION (self));

  for (guint k = 0; k < N_JOBS; k++)
    cancel_job (self, k);
  update_busy (self);
}

/* Test hooks (attn-session-private.h) */

GCancellable *
_attn_session_get_trace_cancellable (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), NULL);

  return self->jobs[JOB_TRACE] ? self->jobs[JOB_TRACE]->cancellable : NULL;
}

guint
_attn_session_get_n_heatmap_values (AttnSession *self)
{
  g_return_val_if_fail (ATTN_IS_SESSION (self), 0);

  return self->n_heatmap_values;
}
