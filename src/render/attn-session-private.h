/* attn-session-private.h: the session's jobs, and its test hooks
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-graph-scene.h"
#include "attn-session.h"

G_BEGIN_DECLS

/* The bytes of the traces the session's cache holds (attn_trace_get_size()),
 * beyond its un-clicked views (see attn-session-work.c) */
#define ATTN_SESSION_TRACE_CACHE_BYTES ((gsize) 256 << 20)

typedef enum
{
  ATTN_SESSION_JOB_GRAPH,       /* the example's graph under the settings */
  ATTN_SESSION_JOB_TRACE,       /* the selection's trace, and its scene */
  ATTN_SESSION_JOB_EVERY_NODE,  /* the un-clicked flow view, layer by layer */
  ATTN_SESSION_JOB_SCENE,       /* the scene of a trace already there */
  ATTN_SESSION_JOB_HEATMAP,     /* the heatmap's values */
  ATTN_SESSION_JOB_ESTIMATE,    /* the time of the un-clicked flow view offered, measured */
  ATTN_SESSION_N_JOBS,
} AttnSessionJobKind;

/* A heatmap's values (L·n each, or NULL): under each method, and under each
 * weight kind for one method */
typedef struct
{
  double *method[ATTN_N_METHODS];
  double *kind[ATTN_N_WEIGHT_KINDS];
} AttnHeatValues;

void _attn_heat_values_clear (AttnHeatValues *values);

/* One computation on a worker thread. The inputs are set before it runs and
 * never change; the results are read once it is done, on the main thread. */
typedef struct
{
  AttnSessionJobKind     kind;
  GWeakRef               session;
  GCancellable          *cancellable;
  AttnProgress          *progress;
  GMainContext          *context;
  char                  *key;
  gint64                 started;        /* monotonic µs, when started */
  guint                  started_layers; /* every node: the layers done then */
  double                 started_share;  /* every node: the share of its cost done then */
  double                 estimate;       /* every node's flow: its seconds from the first layer;
                                          * estimate: the seconds measured */
  double                 spent;          /* every node's flow: seconds of the runs stopped before */
  double                 spent_share;    /* and the share of its work they did */

  /* inputs */
  AttnExample           *example;
  AttnGraphSettings     *settings;
  AttnGraph             *graph;
  AttnTraceQuery         query;
  AttnTrace             *partial;        /* every node: where to go on; scene: what to show */
  AttnGraphSceneOptions  scene_options;
  char                  *scene_key;      /* the options and the caption, compared */
  /* heatmap: given ones, then computed; over several weight kinds, the
   * query's method under each kind wanted (graphs of the other kinds are
   * built from @settings) */
  AttnHeatValues         heat;
  gboolean               wanted[ATTN_N_METHODS];
  gboolean               kind_wanted[ATTN_N_WEIGHT_KINDS];
  /* heatmap of flow, on the worker: the layers reported so far */
  double                *heat_partial;
  gboolean              *heat_layer_done;
  guint                  heat_layers;

  /* results */
  AttnGraph             *new_graph;
  AttnTrace             *trace;
  AttnGraphScene        *scene;
  guint                  n_computed;
} AttnSessionJob;

AttnSessionJob *_attn_session_job_new             (AttnSession        *session,
                                                   AttnSessionJobKind  kind,
                                                   const char         *key);
AttnSessionJob *_attn_session_job_ref             (AttnSessionJob     *job);
void            _attn_session_job_unref           (AttnSessionJob     *job);
void            _attn_session_job_set_scene       (AttnSessionJob              *job,
                                                   const AttnGraphSceneOptions *options,
                                                   const char                  *caption);
void            _attn_session_job_run             (AttnSessionJob     *job);
void            _attn_session_job_cancel          (AttnSessionJob     *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttnSessionJob, _attn_session_job_unref)

/* The session itself, shared by attn-session.c (the object, its inputs) and
 * attn-session-work.c (its jobs and results) */
struct _AttnSession
{
  GObject             parent_instance;

  /* inputs */
  AttnExample        *example;
  AttnGraphSettings  *settings;
  AttnMethod          method;
  gboolean            all_methods;
  gboolean            all_weights;
  gboolean            exclude_special;
  AttnColorScale      color_scale;
  guint               first_layer;     /* 0: 1 */
  guint               last_layer;      /* 0: L */
  guint               sel_layer;       /* 0: no node selected */
  guint               sel_position;
  int                 sel_sink;
  gboolean            every_node_requested;
  char               *every_node_stopped; /* the key of the view stopped */
  double              every_node_spent; /* the seconds spent on it, its runs before included */
  double              every_node_spent_share; /* the share of its work they did */
  guint               progressive_min; /* ATTN_SESSION_PROGRESSIVE_MIN but in tests */
  gsize               cache_bytes_max; /* ATTN_SESSION_TRACE_CACHE_BYTES but in tests */

  /* results */
  AttnGraph          *graph;
  char               *graph_key;
  GHashTable         *traces;          /* key -> CacheEntry */
  GHashTable         *every_node_measured; /* graph key -> the seconds of its un-clicked flow
                                            * view (attn_flow_measure_every_node()), double * */
  AttnTrace          *trace;
  AttnGraphScene     *scene;
  char               *heat_key;
  guint               heat_position;
  AttnHeatValues      heat;
  AttnHeatValues      heat_partial;    /* the heatmap while flow's is computed: L·n each */
  guint               heat_partial_layers;
  guint               heat_partial_position;
  char               *heatmap_error;

  /* work */
  AttnSessionJob     *jobs[ATTN_SESSION_N_JOBS];
  gboolean            busy;
  double              progress;
  guint               n_heatmap_values;
};

typedef enum
{
  SESSION_PROP_0,
  SESSION_PROP_EXAMPLE,
  SESSION_PROP_SETTINGS,
  SESSION_PROP_METHOD,
  SESSION_PROP_ALL_METHODS,
  SESSION_PROP_ALL_WEIGHTS,
  SESSION_PROP_EXCLUDE_SPECIAL,
  SESSION_PROP_COLOR_SCALE,
  SESSION_PROP_FIRST_LAYER,
  SESSION_PROP_LAST_LAYER,
  SESSION_PROP_BUSY,
  SESSION_PROP_PROGRESS,
  SESSION_PROP_TRACE,
  SESSION_PROP_SCENE,
  SESSION_PROP_EVERY_NODE_OFFERED,
  SESSION_PROP_HEATMAP_ERROR,
  N_SESSION_PROPS
} AttnSessionProperty;

/* attn-session.c */
void            _attn_session_notify               (AttnSession        *self,
                                                    AttnSessionProperty property);
void            _attn_session_emit_results_changed (AttnSession        *self);
void            _attn_session_emit_failed          (AttnSession        *self,
                                                    const char         *message);

/* attn-session-work.c */
void            _attn_session_refresh              (AttnSession        *self);
void            _attn_session_cancel_job           (AttnSession        *self,
                                                    AttnSessionJobKind  kind);
void            _attn_session_update_busy          (AttnSession        *self);
void            _attn_session_update_heatmap       (AttnSession        *self);
void            _attn_session_update_scene         (AttnSession        *self);
void            _attn_session_current_query        (AttnSession        *self,
                                                    AttnTraceQuery     *query);
gboolean        _attn_session_every_node_wanted    (AttnSession        *self);
double          _attn_every_node_share_done        (AttnGraph          *graph,
                                                    guint               done,
                                                    double              fraction);
double          _attn_every_node_time_left         (double              estimate,
                                                    double              spent,
                                                    double              spent_share,
                                                    double              share_done);
double          _attn_click_time_left              (double              elapsed,
                                                    double              done);
void            _attn_session_cache_entry_free     (gpointer            data);
/* the malloc arenas' rule for large blocks, once for the process */
void            _attn_session_init_malloc          (void);

/* attn-session-work.c, on the main thread, from the jobs */
void            _attn_session_job_done            (AttnSession        *self,
                                                   AttnSessionJob     *job,
                                                   const GError       *error);
void            _attn_session_layer_done          (AttnSession        *self,
                                                   AttnSessionJob     *job,
                                                   AttnTrace          *trace);
void            _attn_session_progress_changed    (AttnProgress       *progress,
                                                   AttnSession        *self);
void            _attn_session_heatmap_layers_done (AttnSession        *self,
                                                   AttnSessionJob     *job,
                                                   double             *values,
                                                   guint               n_layers);
void            _attn_session_clear_heatmap_partial (AttnSession      *self);

/* Test hooks */

/* the cancellable of the selection's job while it runs (what the next selection cancels) */
GCancellable   *_attn_session_get_trace_cancellable (AttnSession      *self);
/* the value sets (method × heat position) the heatmap's jobs computed themselves, summed */
guint           _attn_session_get_n_heatmap_values  (AttnSession      *self);
/* the rollout view fills in layer by layer from this many tokens on */
void            _attn_session_set_progressive_min   (AttnSession      *self,
                                                     guint             n_tokens);
/* the cache's bound in bytes */
void            _attn_session_set_cache_bytes       (AttnSession      *self,
                                                     gsize             bytes);

G_END_DECLS
