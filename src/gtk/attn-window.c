/* attn-window.c: the main window
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "attn-compare-window.h"
#include "attn-evaluation-window.h"
#include "attn-export.h"
#include "attn-figure-view.h"
#include "attn-window.h"

/* Above this many tokens the un-clicked flow view (L·n·n max-flows) is only
 * computed on request. */
#define FLOW_CONVENTION_AUTO_MAX 128
#define MAX_CACHED_TRACES 64
#define TRACE_CACHE_BYTES ((gsize) 256 << 20)

typedef struct
{
  AttnDocument *document;
  guint         index;
} Entry;

struct _AttnWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwSplitButton       *open_button;
  GtkDropDown          *example_dropdown;
  AttnGraphView        *graph_view;
  GtkProgressBar       *progress_bar;
  AttnFigureView       *heatmap_view;
  GtkLabel             *selection_label;
  GtkCheckButton       *all_methods_check;
  GtkWidget            *side_panel;
  GtkPaned             *heat_paned;
  GtkSpinButton        *residual_spin;
  GtkDropDown          *head_mix_dropdown;
  GtkEntry             *heads_entry;
  GtkSpinButton        *first_layer_spin;
  GtkSpinButton        *last_layer_spin;
  GtkDropDown          *colormap_dropdown;
  GtkScale             *threshold_scale;
  GtkSpinButton        *top_k_spin;
  GtkCheckButton       *exclude_special_check;
  GtkWidget            *compute_flow_button;

  GMenu                *recent_menu;
  GtkStringList        *example_model;

  /* documents and the example shown */
  GPtrArray            *documents;
  GArray               *entries;
  guint                 current;
  AttnExample          *example;
  const char           *example_path;
  AttnMethod            method;
  guint                 n_loading;
  char                 *last_message;

  /* selection: layer 0 = none */
  guint                 sel_layer;
  guint                 sel_position;
  int                   sel_sink;

  /* settings as used for computing */
  GArray               *heads;
  char                 *heads_text;

  /* the graph of the current example and settings */
  AttnGraph            *graph;
  char                 *graph_key;
  GCancellable         *graph_cancellable;
  guint                 graph_generation;

  /* traces */
  GHashTable           *traces;
  GCancellable         *trace_cancellable;
  AttnProgress    *trace_progress;
  guint                 generation;
  gboolean              trace_running;

  /* the progressive flow convention */
  GCancellable         *convention_cancellable;
  AttnProgress    *convention_progress;
  char                 *convention_key;
  gboolean              flow_requested;

  /* heatmap */
  GCancellable         *heatmap_cancellable;
  char                 *heatmap_key;
  guint                 heatmap_generation;
  /* the trace shown last: its values at the heat position fill the heatmap */
  AttnTrace            *heatmap_trace;
  /* test hook: what the heatmap jobs had to compute themselves */
  guint                 n_heatmap_graphs;
  guint                 n_heatmap_values;

  /* saving */
  GFile                *save_file;

  GList                *pending_files;
  guint                 n_saving;
  gboolean              heatmap_running;

  guint                 pulse_id;
  gboolean              updating_widgets;
  gboolean              paned_moved;
  gboolean              setting_paned;
};

G_DEFINE_FINAL_TYPE (AttnWindow, attn_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (AttnWindow *self);
static void update_heatmap (AttnWindow *self);

static void
show_toast (AttnWindow *self,
            const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static double
convention_fraction (AttnWindow *self)
{
  AttnTrace *trace = self->convention_key ?
    g_hash_table_lookup (self->traces, self->convention_key) : NULL;
  double fraction = self->convention_progress ?
    attn_progress_get_fraction (self->convention_progress) : -1.;

  /* within the layer being computed when the engine reports it, else whole layers */
  if (fraction >= 0.)
    return fraction;
  return trace ? (double) attn_trace_get_n_layers_done (trace) / attn_trace_get_n_layers (trace) : 0.;
}

static gboolean
pulse_cb (gpointer data)
{
  AttnWindow *self = data;
  double fraction = self->trace_running && self->trace_progress ?
    attn_progress_get_fraction (self->trace_progress) : -1.;
  gboolean busy = self->trace_running || self->n_loading > 0 || self->graph_cancellable != NULL;

  /* flow reports how far it got; the rest pulses */
  if (!busy && self->convention_cancellable != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, convention_fraction (self));
  else if (fraction >= 0.)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  else
    gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
update_progress (AttnWindow *self)
{
  gboolean busy = self->trace_running || self->n_loading > 0 || self->graph_cancellable != NULL;
  gboolean convention = self->convention_cancellable != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy || convention);
  attn_graph_view_set_busy (self->graph_view, busy || convention);

  if (busy || convention)
    {
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (100, pulse_cb, self);
      if (!busy)
        gtk_progress_bar_set_fraction (self->progress_bar, convention_fraction (self));
    }
  else
    g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

static guint
n_tokens (AttnWindow *self)
{
  return self->example ? attn_example_get_n_tokens (self->example) : 0;
}

static guint
n_layers (AttnWindow *self)
{
  return self->example ? attn_example_get_n_layers (self->example) : 0;
}

static guint
heat_position (AttnWindow *self)
{
  if (self->sel_layer > 0)
    return self->sel_position;
  return self->example ? attn_example_get_focus (self->example) : 0;
}

static void
get_options (AttnWindow       *self,
             AttnGraphOptions *options)
{
  *options = (AttnGraphOptions) ATTN_GRAPH_OPTIONS_INIT;
  options->residual = g_settings_get_double (self->settings, "residual");
  options->head_mix = g_settings_get_enum (self->settings, "head-mix");
  if (self->heads != NULL && self->heads->len > 0)
    {
      options->n_heads = self->heads->len;
      options->heads = (const guint *) (gpointer) self->heads->data;
    }
}

static char *
make_graph_key (AttnWindow *self)
{
  AttnGraphOptions options;
  Entry *entry;

  if (self->example == NULL)
    return NULL;
  get_options (self, &options);
  entry = &g_array_index (self->entries, Entry, self->current);
  return g_strdup_printf ("%p/%u/%.17g/%d/%s", entry->document, entry->index,
                          options.residual, options.head_mix,
                          self->heads_text ? self->heads_text : "all");
}

static char *
make_trace_key (AttnWindow *self,
                AttnMethod  method,
                guint       layer,
                guint       position,
                int         sink)
{
  if (self->graph_key == NULL)
    return NULL;
  if (layer == 0)
    position = 0, sink = -1;
  return g_strdup_printf ("%s/%s/%u/%u/%d/%u", self->graph_key, attn_method_get_name (method),
                          layer, position, sink, heat_position (self));
}

static void
cache_trace (AttnWindow *self,
             const char *key,
             AttnTrace  *trace)
{
  /* each trace holds L·n·n edge values: 96 MiB at n = 1024, so the cache is
   * bounded in bytes as well as in count */
  gsize bytes = attn_trace_get_size (trace);
  guint max = (guint) CLAMP (TRACE_CACHE_BYTES / MAX (bytes, 1), 2, MAX_CACHED_TRACES);

  if (g_hash_table_size (self->traces) >= max &&
      !g_hash_table_contains (self->traces, key))
    g_hash_table_remove_all (self->traces);
  g_hash_table_insert (self->traces, g_strdup (key), attn_trace_ref (trace));
}

/* The status line: what the pointer (or the keyboard cursor) is on, else
 * what is selected */
static void
update_selection_label (AttnWindow *self)
{
  const char *hover = attn_graph_view_get_hover_text (self->graph_view);
  g_autofree char *text = attn_graph_view_describe_selection (self->graph_view);

  gtk_label_set_text (self->selection_label, hover ? hover : text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->selection_label), hover ? hover : text);
}

static void
show_trace (AttnWindow *self,
            AttnTrace  *trace)
{
  AttnTraceQuery q;
  g_autofree char *key = NULL;

  attn_trace_get_query (trace, &q);
  key = make_trace_key (self, q.method, q.layer, q.position, q.sink);

  attn_graph_view_set_trace (self->graph_view, trace);
  update_selection_label (self);
  if (self->heatmap_trace != trace)
    {
      g_clear_pointer (&self->heatmap_trace, attn_trace_unref);
      self->heatmap_trace = attn_trace_ref (trace);
    }
  /* the progressive flow view redraws its graph per layer, the heatmap once */
  if (g_strcmp0 (key, self->heatmap_key) != 0)
    {
      g_free (self->heatmap_key);
      self->heatmap_key = g_steal_pointer (&key);
      update_heatmap (self);
    }
}

/* The flow convention: bottom layer first, each layer drawn as it completes */

static void
convention_layer_cb (AttnTrace *trace,
                     gpointer   user_data)
{
  AttnWindow *self = user_data;

  if (self->convention_key == NULL)
    return;
  cache_trace (self, self->convention_key, trace);
  if (self->method == ATTN_METHOD_FLOW && self->sel_layer == 0 && !self->trace_running)
    {
      g_autofree char *key = make_trace_key (self, ATTN_METHOD_FLOW, 0, 0, -1);

      if (g_strcmp0 (key, self->convention_key) == 0)
        show_trace (self, trace);
    }
  update_progress (self);
}

static void
convention_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AttnWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnTrace) trace = attn_trace_continue_finish (result, &error);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  if (cancellable != self->convention_cancellable)
    return;
  g_clear_object (&self->convention_cancellable);
  g_clear_pointer (&self->convention_progress, attn_progress_unref);

  if (trace == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
    }
  update_progress (self);
}

static void
stop_convention (AttnWindow *self)
{
  cancel_and_clear (&self->convention_cancellable);
  g_clear_pointer (&self->convention_progress, attn_progress_unref);
  g_clear_pointer (&self->convention_key, g_free);
  update_progress (self);
}

/* Starts or resumes the un-clicked flow view for the current example and
 * settings, unless it is complete or already running. */
static void
maybe_resume_convention (AttnWindow *self)
{
  g_autofree char *key = NULL;
  AttnTrace *trace;

  if (self->example == NULL || self->graph == NULL || self->method != ATTN_METHOD_FLOW)
    return;
  if (n_tokens (self) > FLOW_CONVENTION_AUTO_MAX && !self->flow_requested)
    return;

  key = make_trace_key (self, ATTN_METHOD_FLOW, 0, 0, -1);
  trace = g_hash_table_lookup (self->traces, key);
  if (trace != NULL && attn_trace_is_complete (trace))
    return;
  if (self->convention_cancellable != NULL && g_strcmp0 (key, self->convention_key) == 0)
    return;

  stop_convention (self);
  if (trace == NULL)
    {
      trace = attn_trace_new_pending (ATTN_METHOD_FLOW, heat_position (self),
                                      n_layers (self), n_tokens (self));
      cache_trace (self, key, trace);
      attn_trace_unref (trace);
    }
  self->convention_key = g_steal_pointer (&key);
  self->convention_cancellable = g_cancellable_new ();
  self->convention_progress = attn_progress_new (NULL, NULL);
  attn_trace_continue_async (self->graph, trace, convention_layer_cb, g_object_ref (self),
                             g_object_unref, self->convention_progress,
                             self->convention_cancellable, convention_done_cb, g_object_ref (self));
  update_progress (self);
}

/* Traces of clicks and views */

typedef struct
{
  AttnWindow *self;
  guint       generation;
  char       *key;
} Pending;

static Pending *
pending_new (AttnWindow *self,
             guint       generation,
             const char *key)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = g_object_ref (self);
  pending->generation = generation;
  pending->key = g_strdup (key);
  return pending;
}

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->self);
  g_free (pending->key);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void
trace_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  AttnWindow *self = pending->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnTrace) trace = attn_trace_run_finish (result, &graph, &error);
  guint generation = pending->generation;
  const char *key = pending->key;

  if (trace != NULL && key != NULL)
    cache_trace (self, key, trace);

  /* a newer request replaced this one: never show a stale result */
  if (generation != self->generation)
    return;

  self->trace_running = FALSE;
  if (trace == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
    }
  else
    show_trace (self, trace);

  update_progress (self);
  maybe_resume_convention (self);
}

static void
graph_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  AttnWindow *self = pending->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnGraph) graph = NULL;
  g_autoptr(AttnTrace) trace = attn_trace_run_finish (result, &graph, &error);
  guint generation = pending->generation;
  const char *key = pending->key;

  if (generation != self->graph_generation)
    return;
  g_clear_object (&self->graph_cancellable);

  if (graph == NULL || trace == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      update_progress (self);
      return;
    }

  g_clear_pointer (&self->graph, attn_graph_unref);
  self->graph = g_steal_pointer (&graph);
  g_free (self->graph_key);
  self->graph_key = g_strdup (key);
  {
    g_autofree char *raw_key = make_trace_key (self, ATTN_METHOD_RAW, 0, 0, -1);
    cache_trace (self, raw_key, trace);
  }
  update_progress (self);
  refresh (self);
}

static void
build_graph (AttnWindow *self,
             const char *key)
{
  AttnTraceQuery query = ATTN_TRACE_QUERY_INIT;
  AttnGraphOptions options;

  cancel_and_clear (&self->graph_cancellable);
  self->graph_cancellable = g_cancellable_new ();
  self->graph_generation++;

  get_options (self, &options);
  query.method = ATTN_METHOD_RAW;
  query.heat_position = heat_position (self);
  attn_trace_run_async (self->example, NULL, &options, &query, NULL, self->graph_cancellable,
                        graph_done_cb, pending_new (self, self->graph_generation, key));
  update_progress (self);
}

static void
refresh (AttnWindow *self)
{
  g_autofree char *graph_key = NULL;
  g_autofree char *key = NULL;
  AttnTraceQuery query = ATTN_TRACE_QUERY_INIT;
  AttnGraphOptions options;
  AttnTrace *trace;

  if (self->example == NULL)
    return;

  graph_key = make_graph_key (self);
  if (self->graph == NULL || g_strcmp0 (graph_key, self->graph_key) != 0)
    {
      /* every result of the old settings is now stale */
      self->generation++;
      cancel_and_clear (&self->trace_cancellable);
      self->trace_running = FALSE;
      stop_convention (self);
      g_clear_pointer (&self->graph, attn_graph_unref);
      g_clear_pointer (&self->graph_key, g_free);
      build_graph (self, graph_key);
      return;
    }

  self->generation++;
  cancel_and_clear (&self->trace_cancellable);
  self->trace_running = FALSE;

  gtk_widget_set_visible (self->compute_flow_button,
                          self->method == ATTN_METHOD_FLOW && self->sel_layer == 0 &&
                          n_tokens (self) > FLOW_CONVENTION_AUTO_MAX && !self->flow_requested);

  key = make_trace_key (self, self->method, self->sel_layer, self->sel_position, self->sel_sink);
  trace = g_hash_table_lookup (self->traces, key);

  if (self->method == ATTN_METHOD_FLOW && self->sel_layer == 0)
    {
      if (trace != NULL)
        show_trace (self, trace);
      else
        {
          g_autoptr(AttnTrace) empty = attn_trace_new_pending (ATTN_METHOD_FLOW, heat_position (self),
                                                               n_layers (self), n_tokens (self));
          show_trace (self, empty);
        }
      maybe_resume_convention (self);
      update_progress (self);
      return;
    }

  /* a click takes priority over the background flow convention: pause it */
  stop_convention (self);

  if (trace != NULL)
    {
      show_trace (self, trace);
      update_progress (self);
      maybe_resume_convention (self);
      return;
    }

  get_options (self, &options);
  query.method = self->method;
  query.layer = self->sel_layer;
  query.position = self->sel_position;
  query.sink = self->sel_sink;
  query.heat_position = heat_position (self);

  self->trace_cancellable = g_cancellable_new ();
  g_clear_pointer (&self->trace_progress, attn_progress_unref);
  self->trace_progress = attn_progress_new (NULL, NULL);
  self->trace_running = TRUE;
  attn_trace_run_async (self->example, self->graph, &options, &query, self->trace_progress,
                        self->trace_cancellable, trace_done_cb,
                        pending_new (self, self->generation, key));
  update_progress (self);
}

/* Figures: the heatmap panel, saving, the command line */

typedef struct
{
  AttnExample        *example;
  char               *path;
  AttnFigureSettings  settings;
  char               *heads;
  AttnFigureStyle     style;
  GFile              *file;
  AttnExportFormat    format;
  AttnFigure         *figure;
  /* heatmap: the window's graph and the values the click already computed */
  AttnGraph          *graph;
  double             *values[ATTN_N_METHODS];
  gboolean            built_graph;
  guint               n_computed;
} FigureJob;

static void
figure_job_free (gpointer data)
{
  FigureJob *job = data;

  g_clear_pointer (&job->example, attn_example_unref);
  g_free (job->path);
  g_free (job->heads);
  g_clear_object (&job->file);
  g_clear_pointer (&job->figure, attn_figure_unref);
  g_clear_pointer (&job->graph, attn_graph_unref);
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    g_free (job->values[m]);
  g_free (job);
}

static void
figure_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FigureJob *job = task_data;
  AttnFigureInput input = { job->example, job->path };
  g_autoptr(GError) error = NULL;

  if (job->settings.kind == ATTN_FIGURE_HEATMAP)
    {
      /* reuse the click's graph and values; count what is left to compute */
      if (job->graph == NULL)
        {
          job->built_graph = TRUE;
          job->figure = attn_figure_build (&input, 1, &job->settings, &job->style, cancellable,
                                           &error);
        }
      else
        job->figure = attn_figure_build_heatmap_from (&input, &job->settings, &job->style,
                                                      job->graph,
                                                      (const double * const *) job->values,
                                                      cancellable, &error);
      for (guint m = 0; m < ATTN_N_METHODS; m++)
        if ((job->settings.all_methods || m == job->settings.method) && job->values[m] == NULL)
          job->n_computed++;
    }
  else
    job->figure = attn_figure_build (&input, 1, &job->settings, &job->style, cancellable, &error);
  if (job->figure == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->file != NULL &&
      !attn_figure_save (job->figure, job->file, job->format, 1., cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
fill_figure_settings (AttnWindow         *self,
                      AttnFigureKind      kind,
                      AttnFigureSettings *settings)
{
  *settings = (AttnFigureSettings) ATTN_FIGURE_SETTINGS_INIT;
  settings->kind = kind;
  settings->method = self->method;
  settings->all_methods = kind == ATTN_FIGURE_HEATMAP &&
                          g_settings_get_boolean (self->settings, "heatmap-all-methods");
  settings->residual = g_settings_get_double (self->settings, "residual");
  settings->head_mix = g_settings_get_enum (self->settings, "head-mix");
  settings->heads = self->heads_text;
  settings->first_layer = g_settings_get_uint (self->settings, "layer-min");
  settings->last_layer = g_settings_get_uint (self->settings, "layer-max");
  if (settings->last_layer > n_layers (self))
    settings->last_layer = 0;
  if (settings->first_layer > n_layers (self))
    settings->first_layer = 0;
  if (self->sel_layer > 0)
    {
      settings->position = self->sel_position;
      settings->layer = self->sel_layer;
      settings->sink = kind == ATTN_FIGURE_GRAPH && self->method == ATTN_METHOD_FLOW ?
                       self->sel_sink : -1;
    }
  else if (kind == ATTN_FIGURE_GRAPH)
    settings->position = ATTN_POSITION_NONE;
  else
    settings->position = heat_position (self);
}

static FigureJob *
figure_job_new (AttnWindow     *self,
                AttnFigureKind  kind)
{
  FigureJob *job = g_new0 (FigureJob, 1);

  job->example = attn_example_ref (self->example);
  job->path = g_strdup (self->example_path);
  fill_figure_settings (self, kind, &job->settings);
  job->heads = g_strdup (job->settings.heads);
  job->settings.heads = job->heads;
  attn_graph_view_get_style (self->graph_view, &job->style);
  return job;
}

static void
heatmap_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  AttnWindow *self = pending->self;
  FigureJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (pending->generation == self->heatmap_generation)
    self->heatmap_running = FALSE;
  self->n_heatmap_graphs += job->built_graph;
  self->n_heatmap_values += job->n_computed;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (pending->generation == self->heatmap_generation &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        attn_figure_view_set_message (self->heatmap_view, error->message);
      return;
    }
  if (pending->generation != self->heatmap_generation)
    return;
  attn_figure_view_set_figure (self->heatmap_view, job->figure);
}

/* The values of @trace at the heat position, when it has them all (a flow
 * click computes only its node's row, the flow convention its layers one by one) */
static const double *
trace_heat_values (AttnWindow *self,
                   AttnTrace  *trace)
{
  g_autofree char *key = NULL;
  AttnTraceQuery q;

  if (trace == NULL || attn_trace_get_heatmap (trace) == NULL)
    return NULL;
  attn_trace_get_query (trace, &q);
  if (q.method != self->method || q.heat_position != heat_position (self))
    return NULL;
  key = make_trace_key (self, q.method, q.layer, q.position, q.sink);
  if (key == NULL || g_strcmp0 (key, self->heatmap_key) != 0)
    return NULL;
  return attn_trace_get_heatmap (trace);
}

static void
update_heatmap (AttnWindow *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *graph_key = NULL;
  const double *values;
  FigureJob *job;

  cancel_and_clear (&self->heatmap_cancellable);
  self->heatmap_generation++;
  self->heatmap_running = FALSE;
  if (self->example == NULL)
    return;

  self->heatmap_cancellable = g_cancellable_new ();
  self->heatmap_running = TRUE;
  task = g_task_new (NULL, self->heatmap_cancellable, heatmap_done_cb,
                     pending_new (self, self->heatmap_generation, NULL));
  g_task_set_source_tag (task, update_heatmap);
  job = figure_job_new (self, ATTN_FIGURE_HEATMAP);
  graph_key = make_graph_key (self);
  if (self->graph != NULL && g_strcmp0 (graph_key, self->graph_key) == 0 &&
      attn_graph_get_n_tokens (self->graph) == n_tokens (self))
    {
      job->graph = attn_graph_ref (self->graph);
      values = trace_heat_values (self, self->heatmap_trace);
      if (values != NULL)
        job->values[self->method] = g_memdup2 (values, (gsize) n_layers (self) * n_tokens (self) *
                                                       sizeof (double));
    }
  g_task_set_task_data (task, job, figure_job_free);
  g_task_run_in_thread (task, figure_worker);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AttnWindow) self = user_data;
  FigureJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (job->file);
  g_autofree char *message = NULL;

  self->n_saving--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    /* translators: file name, error message */
    message = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);
  else
    {
      /* translators: file name */
      message = g_strdup_printf (_("Saved “%s”"), name);
      g_set_object (&self->save_file, job->file);
    }
  show_toast (self, message);
}

static void
save_to_file (AttnWindow *self,
              GFile      *file)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  AttnExportFormat format;
  FigureJob *job;

  if (self->example == NULL)
    return;
  if (!attn_export_format_from_path (path ? path : "", &format, &error))
    {
      show_toast (self, error->message);
      return;
    }
  job = figure_job_new (self, ATTN_FIGURE_GRAPH);
  job->file = g_object_ref (file);
  job->format = format;
  /* saved figures are for paper: the light style, whatever the desktop uses */
  {
    AttnFigureStyle light;

    attn_figure_style_init (&light, FALSE);
    light.colormap = job->style.colormap;
    light.threshold = job->style.threshold;
    light.top_k = job->style.top_k;
    light.exclude_special = job->style.exclude_special;
    job->style = light;
  }
  self->n_saving++;
  task = g_task_new (NULL, NULL, save_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, save_to_file);
  g_task_set_task_data (task, job, figure_job_free);
  g_task_run_in_thread (task, figure_worker);
}

/**
 * attn_window_save_figure:
 * @file: where to save; PNG, SVG or PDF by its extension
 *
 * Saves the graph on screen, as Save Figure does, in the background; the
 * result is a toast.
 */
void
attn_window_save_figure (AttnWindow *self,
                         GFile      *file)
{
  g_return_if_fail (ATTN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  save_to_file (self, file);
}

static char *
suggested_name (AttnWindow *self)
{
  const char *id = self->example ? attn_example_get_id (self->example) : NULL;
  g_autofree char *base = NULL;

  if (id == NULL || *id == '\0')
    base = g_strdup_printf ("example-%u", self->example ? attn_example_get_index (self->example) : 0);
  else
    base = g_strdup (id);
  g_strdelimit (base, "/\\:", '-');
  return g_strdup_printf ("%s-%s.png", base, attn_method_get_name (self->method));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  AttnWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      save_to_file (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime,
            const char     *pattern)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  if (mime)
    gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
  g_object_unref (filter);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *name = suggested_name (self);

  if (self->example == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Save Figure"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  add_filter (GTK_FILE_CHOOSER (dialog), _("PNG, SVG or PDF"), NULL, "*.png");
  add_filter (GTK_FILE_CHOOSER (dialog), _("PNG image"), "image/png", "*.png");
  add_filter (GTK_FILE_CHOOSER (dialog), _("SVG image"), "image/svg+xml", "*.svg");
  add_filter (GTK_FILE_CHOOSER (dialog), _("PDF document"), "application/pdf", "*.pdf");
  {
    /* the first filter lets every format through */
    GListModel *filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (dialog));
    g_autoptr(GtkFileFilter) all = g_list_model_get_item (filters, 0);

    gtk_file_filter_add_pattern (all, "*.svg");
    gtk_file_filter_add_pattern (all, "*.pdf");
    g_object_unref (filters);
  }
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  if (self->save_file != NULL)
    save_to_file (self, self->save_file);
  else
    save_as_action (widget, action_name, parameter);
}

/**
 * attn_window_get_command:
 * @output: (nullable): the output file name, or %NULL for a default
 *
 * Returns: (transfer full) (nullable): the `attnflow-cli render` line that
 *   draws the figure on screen
 */
char *
attn_window_get_command (AttnWindow *self,
                         const char *output)
{
  AttnFigureSettings settings;
  AttnFigureStyle style;
  AttnFigureInput input;
  g_autofree char *name = NULL;

  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  if (self->example == NULL)
    return NULL;
  fill_figure_settings (self, ATTN_FIGURE_GRAPH, &settings);
  attn_graph_view_get_style (self->graph_view, &style);
  input.example = self->example;
  input.path = self->example_path;
  if (output == NULL)
    output = name = suggested_name (self);
  return attn_figure_command_line (&input, 1, &settings, &style, output, 1.);
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  g_autofree char *command = attn_window_get_command (self, NULL);

  if (command == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  show_toast (self, _("Command copied"));
}

/* Documents and examples */

/* Actions that need an example (or two) are greyed out without them */
static void
update_actions (AttnWindow *self)
{
  static const char *need_example[] = {
    "win.save", "win.save-as", "win.copy-command", "win.clear-selection", "win.compute-flow",
    "win.zoom-in", "win.zoom-out", "win.zoom-fit", "win.focus-graph",
  };
  gboolean has_example = self->example != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (need_example); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), need_example[i], has_example);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare", self->entries->len >= 2);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.example-step", self->entries->len >= 2);
  gtk_widget_set_visible (GTK_WIDGET (self->example_dropdown), self->entries->len > 0);
}

static void
update_layer_spins (AttnWindow *self)
{
  guint L = MAX (n_layers (self), 1);
  guint first = g_settings_get_uint (self->settings, "layer-min");
  guint last = g_settings_get_uint (self->settings, "layer-max");

  if (last == 0 || last > L)
    last = L;
  first = CLAMP (first, 1, last);

  self->updating_widgets = TRUE;
  gtk_spin_button_set_range (self->first_layer_spin, 1, L);
  gtk_spin_button_set_range (self->last_layer_spin, 1, L);
  gtk_spin_button_set_value (self->first_layer_spin, first);
  gtk_spin_button_set_value (self->last_layer_spin, last);
  self->updating_widgets = FALSE;
  attn_graph_view_set_layer_range (self->graph_view, first, last);
}

static void
show_example (AttnWindow *self,
              guint       index)
{
  Entry *entry;

  if (index >= self->entries->len)
    return;
  entry = &g_array_index (self->entries, Entry, index);

  self->current = index;
  g_clear_pointer (&self->example, attn_example_unref);
  self->example = attn_document_get_example (entry->document, entry->index);
  if (self->example != NULL)
    attn_example_ref (self->example);
  self->example_path = attn_document_get_path (entry->document);

  self->sel_layer = 0;
  self->sel_position = 0;
  self->sel_sink = -1;
  self->flow_requested = FALSE;
  stop_convention (self);

  if (gtk_drop_down_get_selected (self->example_dropdown) != index)
    gtk_drop_down_set_selected (self->example_dropdown, index);

  gtk_stack_set_visible_child_name (self->main_stack, "graph");
  attn_graph_view_set_example (self->graph_view, self->example);
  update_actions (self);
  update_layer_spins (self);

  /* a heads list that fits one model may not fit the next */
  {
    g_autofree char *text = g_settings_get_string (self->settings, "heads");
    g_autoptr(GArray) heads = NULL;

    if (self->example != NULL &&
        !attn_parse_heads (text, attn_example_get_n_heads (self->example), &heads, NULL))
      {
        g_clear_pointer (&self->heads, g_array_unref);
        g_free (self->heads_text);
        self->heads_text = g_strdup ("all");
        gtk_widget_add_css_class (GTK_WIDGET (self->heads_entry), "error");
      }
    else if (heads != NULL)
      {
        g_clear_pointer (&self->heads, g_array_unref);
        self->heads = g_steal_pointer (&heads);
        g_free (self->heads_text);
        self->heads_text = g_strdup (text);
        gtk_widget_remove_css_class (GTK_WIDGET (self->heads_entry), "error");
      }
  }

  refresh (self);
}

static char *
entry_label (AttnDocument *document,
             AttnExample  *example)
{
  g_autofree char *base = g_path_get_basename (attn_document_get_path (document));
  const char *label = attn_example_get_label (example);

  if (attn_document_get_n_examples (document) == 1 && (label == NULL || *label == '\0'))
    return g_steal_pointer (&base);
  return g_strdup_printf ("%s — %s", base, label);
}

static void
add_document (AttnWindow   *self,
              AttnDocument *document,
              gboolean      show)
{
  guint first = self->entries->len;
  const char * const *warnings = attn_document_get_warnings (document);

  g_ptr_array_add (self->documents, attn_document_ref (document));
  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      Entry entry = { document, i };
      g_autofree char *label = entry_label (document, attn_document_get_example (document, i));

      g_array_append_val (self->entries, entry);
      gtk_string_list_append (self->example_model, label);
    }
  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    show_toast (self, warnings[i]);
  update_actions (self);
  if (attn_document_has_references (document))
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.evaluation", TRUE);

  if (show || self->example == NULL)
    show_example (self, first);
}

typedef struct
{
  AttnWindow *self;
  GFile      *file;
  gboolean    show;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->file);
  g_free (data);
}

static void open_file (AttnWindow *self,
                       GFile      *file,
                       gboolean    show);

static void
open_next_pending (AttnWindow *self)
{
  while (self->pending_files != NULL && self->n_loading == 0)
    {
      GFile *file = self->pending_files->data;

      self->pending_files = g_list_delete_link (self->pending_files, self->pending_files);
      open_file (self, file, FALSE);
      g_object_unref (file);
    }
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoadData *data = user_data;
  AttnWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_finish (result, &error);

  self->n_loading--;
  if (document == NULL)
    {
      /* the loader's message names the file, example and field */
      show_toast (self, error->message);
      if (self->example == NULL && self->n_loading == 0)
        gtk_stack_set_visible_child_name (self->main_stack, "empty");
    }
  else
    {
      g_autofree char *uri = g_file_get_uri (data->file);

      gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
      add_document (self, document, data->show);
    }
  update_progress (self);
  load_data_free (data);
  open_next_pending (self);
}

static void
open_file (AttnWindow *self,
           GFile      *file,
           gboolean    show)
{
  g_autofree char *path = g_file_get_path (file);
  LoadData *data;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("“%s” is not a local file"), uri);
      show_toast (self, message);
      return;
    }

  /* already open: just show it */
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (g_strcmp0 (attn_document_get_path (entry->document), path) == 0)
        {
          if (show)
            show_example (self, i);
          return;
        }
    }

  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  data->show = show;
  self->n_loading++;
  update_progress (self);
  attn_document_load_async (path, NULL, load_done_cb, data);
}

void
attn_window_open_file (AttnWindow *self,
                       GFile      *file)
{
  g_return_if_fail (ATTN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  open_file (self, file, TRUE);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char *
find_examples_dir (void)
{
  const char *datadir = g_getenv ("ATTNFLOW_DATADIR");
  g_autofree char *dir = NULL;

  if (datadir != NULL && *datadir != '\0')
    {
      dir = g_build_filename (datadir, "examples", NULL);
      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&dir);
      g_clear_pointer (&dir, g_free);
    }
  dir = g_build_filename (PKGDATADIR, "examples", NULL);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&dir);
  g_clear_pointer (&dir, g_free);
  /* running from the build tree without build-aux/setup.sh */
  dir = g_build_filename (SOURCE_DATADIR, "examples", NULL);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&dir);
  return NULL;
}

/**
 * attn_window_open_bundled:
 *
 * Opens the bundled real examples (BERT-base first).
 */
void
attn_window_open_bundled (AttnWindow *self)
{
  g_autofree char *dir = find_examples_dir ();
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_if_fail (ATTN_IS_WINDOW (self));

  if (dir == NULL || (handle = g_dir_open (dir, 0, NULL)) == NULL)
    {
      show_toast (self, _("The bundled examples were not found"));
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      return;
    }
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  /* one after the other, so the examples keep their order (BERT-base first) */
  for (guint i = names->len; i > 0; i--)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i - 1), NULL);

      self->pending_files = g_list_prepend (self->pending_files, g_file_new_for_path (path));
    }
  open_next_pending (self);
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  AttnWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          open_file (self, file, i == 0);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Attention Export"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Attention exports (JSON)"), "application/json", "*.json");
  add_filter (GTK_FILE_CHOOSER (dialog), _("All files"), NULL, "*");
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  open_file (ATTN_WINDOW (widget), file, TRUE);
}

static void
update_recent_menu (AttnWindow *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  GList *items = gtk_recent_manager_get_items (manager);
  guint count = 0;

  g_menu_remove_all (self->recent_menu);
  for (GList *l = items; l != NULL && count < 10; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      const char *uri = gtk_recent_info_get_uri (info);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = NULL;

      if (!g_str_has_suffix (uri, ".json") || !gtk_recent_info_exists (info))
        continue;
      label = g_strdup (gtk_recent_info_get_display_name (info));
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", uri);
      g_menu_append_item (self->recent_menu, item);
      count++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);

  if (count == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Files"), "win.none");
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
recent_changed_cb (GtkRecentManager *manager,
                   AttnWindow       *self)
{
  update_recent_menu (self);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         AttnWindow    *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    open_file (self, l->data, l == files);
  return files != NULL;
}

/* Methods, selection and settings */

static void
set_method (AttnWindow *self,
            AttnMethod  method)
{
  if (self->method == method)
    return;
  self->method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
  refresh (self);
}

static void
node_activated_cb (AttnGraphView *view,
                   guint          layer,
                   guint          position,
                   AttnWindow    *self)
{
  if (self->example == NULL)
    return;

  if (layer == 0)
    {
      /* an input token: with a node selected, show the paths to it (again: all paths) */
      if (self->sel_layer == 0)
        {
          show_toast (self, _("Select a node above the inputs first, then an input token to see the paths to it"));
          return;
        }
      self->sel_sink = self->sel_sink == (int) position ? -1 : (int) position;
    }
  else
    {
      self->sel_layer = layer;
      self->sel_position = position;
      self->sel_sink = -1;
    }
  refresh (self);
}

static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  if (self->sel_layer == 0)
    return;
  self->sel_layer = 0;
  self->sel_position = 0;
  self->sel_sink = -1;
  refresh (self);
}

static void
compute_flow_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  self->flow_requested = TRUE;
  refresh (self);
}

static void
example_step_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  int step = g_variant_get_int32 (parameter);
  int next = (int) self->current + step;

  if (self->entries->len == 0)
    return;
  next = CLAMP (next, 0, (int) self->entries->len - 1);
  if ((guint) next != self->current)
    show_example (self, next);
}

static void
graph_view_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  /* win.zoom-in -> view.zoom-in on the graph */
  g_autofree char *name = g_strconcat ("view.", action_name + strlen ("win."), NULL);

  gtk_widget_activate_action (GTK_WIDGET (self->graph_view), name, NULL);
}

static void
focus_graph_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (ATTN_WINDOW (widget)->graph_view));
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  if (self->entries->len < 2)
    {
      show_toast (self, _("Comparing needs at least two examples"));
      return;
    }
  gtk_window_present (attn_compare_window_new (GTK_WINDOW (self), self->documents,
                                               self->current, self->method));
}

static void
evaluation_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  gtk_window_present (attn_evaluation_window_new (GTK_WINDOW (self), self->documents, self->example));
}

static void
example_selected_cb (GtkDropDown *dropdown,
                     GParamSpec  *pspec,
                     AttnWindow  *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected != GTK_INVALID_LIST_POSITION && selected != self->current)
    show_example (self, selected);
}

static void
update_view_options (AttnWindow *self)
{
  g_autofree char *colormap = g_settings_get_string (self->settings, "colormap");

  attn_graph_view_set_options (self->graph_view, colormap,
                               g_settings_get_double (self->settings, "edge-threshold"),
                               g_settings_get_uint (self->settings, "top-k"),
                               g_settings_get_boolean (self->settings, "exclude-special"));
}

static void apply_heads (AttnWindow *self,
                         const char *text,
                         gboolean    store);

static void
settings_changed_cb (GSettings  *settings,
                     const char *key,
                     AttnWindow *self)
{
  if (g_str_equal (key, "colormap") || g_str_equal (key, "edge-threshold") ||
      g_str_equal (key, "top-k") || g_str_equal (key, "exclude-special"))
    {
      if (g_str_equal (key, "colormap"))
        {
          g_autofree char *name = g_settings_get_string (settings, key);
          const char * const *names = attn_colormap_list_names ();

          for (guint i = 0; names[i] != NULL; i++)
            if (g_str_equal (names[i], name))
              {
                self->updating_widgets = TRUE;
                gtk_drop_down_set_selected (self->colormap_dropdown, i);
                self->updating_widgets = FALSE;
              }
        }
      update_view_options (self);
      update_heatmap (self);
    }
  else if (g_str_equal (key, "residual") || g_str_equal (key, "head-mix"))
    {
      if (g_str_equal (key, "head-mix"))
        {
          self->updating_widgets = TRUE;
          gtk_drop_down_set_selected (self->head_mix_dropdown, g_settings_get_enum (settings, key));
          self->updating_widgets = FALSE;
        }
      refresh (self);
    }
  else if (g_str_equal (key, "heads"))
    {
      g_autofree char *text = g_settings_get_string (settings, key);

      if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (self->heads_entry))) != 0)
        {
          /* set_text deletes, then inserts: no half-way value is applied */
          self->updating_widgets = TRUE;
          gtk_editable_set_text (GTK_EDITABLE (self->heads_entry), text);
          self->updating_widgets = FALSE;
          apply_heads (self, text, FALSE);
        }
    }
  else if (g_str_equal (key, "layer-min") || g_str_equal (key, "layer-max"))
    {
      update_layer_spins (self);
      update_heatmap (self);
    }
  else if (g_str_equal (key, "heatmap-all-methods"))
    update_heatmap (self);
}

static void
apply_heads (AttnWindow *self,
             const char *text,
             gboolean    store)
{
  GtkEditable *editable = GTK_EDITABLE (self->heads_entry);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GArray) heads = NULL;
  g_autoptr(GError) error = NULL;
  guint n_heads = self->example ? attn_example_get_n_heads (self->example) : G_MAXUINT;

  if (*stripped == '\0')
    {
      g_free (stripped);
      stripped = g_strdup ("all");
    }
  if (!attn_parse_heads (stripped, n_heads, &heads, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (editable), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (editable), error->message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (editable),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (editable),
                               _("The 0-based heads to mix, such as 0,3,5, or “all”"));
  gtk_accessible_reset_state (GTK_ACCESSIBLE (editable), GTK_ACCESSIBLE_STATE_INVALID);

  g_clear_pointer (&self->heads, g_array_unref);
  self->heads = g_steal_pointer (&heads);
  g_free (self->heads_text);
  self->heads_text = self->heads->len > 0 ? attn_format_heads ((guint *) (gpointer) self->heads->data,
                                                               self->heads->len)
                                          : g_strdup ("all");
  if (store)
    g_settings_set_string (self->settings, "heads", stripped);
  refresh (self);
}

static void
heads_changed_cb (GtkEditable *editable,
                  AttnWindow  *self)
{
  if (!self->updating_widgets)
    apply_heads (self, gtk_editable_get_text (editable), TRUE);
}

static void
head_mix_selected_cb (GtkDropDown *dropdown,
                      GParamSpec  *pspec,
                      AttnWindow  *self)
{
  if (!self->updating_widgets)
    g_settings_set_enum (self->settings, "head-mix", gtk_drop_down_get_selected (dropdown));
}

static void
colormap_selected_cb (GtkDropDown *dropdown,
                      GParamSpec  *pspec,
                      AttnWindow  *self)
{
  const char * const *names = attn_colormap_list_names ();
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating_widgets || selected == GTK_INVALID_LIST_POSITION ||
      selected >= g_strv_length ((char **) names))
    return;
  /* the schema lists the maps it accepts */
  {
    g_autoptr(GSettingsSchemaKey) key = NULL;
    g_autoptr(GSettingsSchema) schema = NULL;
    g_autoptr(GVariant) value = g_variant_new_string (names[selected]);

    g_object_get (self->settings, "settings-schema", &schema, NULL);
    key = g_settings_schema_get_key (schema, "colormap");
    if (g_settings_schema_key_range_check (key, value))
      g_settings_set_string (self->settings, "colormap", names[selected]);
  }
}

static void
layer_spin_changed_cb (GtkSpinButton *spin,
                       AttnWindow    *self)
{
  guint first, last;

  if (self->updating_widgets)
    return;
  first = gtk_spin_button_get_value_as_int (self->first_layer_spin);
  last = gtk_spin_button_get_value_as_int (self->last_layer_spin);
  if (spin == self->first_layer_spin && last < first)
    last = first;
  if (spin == self->last_layer_spin && first > last)
    first = last;
  g_settings_set_uint (self->settings, "layer-min", first);
  /* the last layer of the model is stored as 0, so it follows other models */
  g_settings_set_uint (self->settings, "layer-max", last >= n_layers (self) ? 0 : last);
}

static void
hover_text_changed_cb (AttnGraphView *view,
                       GParamSpec    *pspec,
                       AttnWindow    *self)
{
  update_selection_label (self);
}

/* The graph gets 60 % of the height and the heatmap the rest, at any window
 * size, until the user moves the handle. */
static int
paned_max_position (GtkPaned *paned)
{
  int max = 0;

  g_object_get (paned, "max-position", &max, NULL);
  return max;
}

static void
heat_paned_max_position_changed_cb (GtkPaned   *paned,
                                    GParamSpec *pspec,
                                    AttnWindow *self)
{
  if (self->paned_moved)
    return;
  self->setting_paned = TRUE;
  gtk_paned_set_position (paned, MIN ((int) (gtk_widget_get_height (GTK_WIDGET (paned)) * 0.6),
                                      paned_max_position (paned)));
  self->setting_paned = FALSE;
}

static void
heat_paned_position_changed_cb (GtkPaned   *paned,
                                GParamSpec *pspec,
                                AttnWindow *self)
{
  if (!self->setting_paned && paned_max_position (paned) > 0 &&
      gtk_widget_get_mapped (GTK_WIDGET (paned)))
    self->paned_moved = TRUE;
}

static gboolean
close_request_cb (GtkWindow *window,
                  gpointer   user_data)
{
  AttnWindow *self = ATTN_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  return FALSE;
}

/* Stops every computation in flight; their callbacks then see a newer
 * generation (or another cancellable) and do nothing. */
static void
cancel_jobs (AttnWindow *self)
{
  self->generation++;
  self->graph_generation++;
  self->heatmap_generation++;
  self->trace_running = FALSE;
  self->heatmap_running = FALSE;
  cancel_and_clear (&self->trace_cancellable);
  cancel_and_clear (&self->graph_cancellable);
  cancel_and_clear (&self->heatmap_cancellable);
  stop_convention (self);
}

/* gtk_window_destroy() unrealizes the window but does not dispose it while
 * the jobs in flight hold their references: stop them here, or a closed
 * window would compute on (a whole flow at n = 512) before it goes away. */
static void
attn_window_unrealize (GtkWidget *widget)
{
  cancel_jobs (ATTN_WINDOW (widget));

  GTK_WIDGET_CLASS (attn_window_parent_class)->unrealize (widget);
}

static void
attn_window_dispose (GObject *object)
{
  AttnWindow *self = ATTN_WINDOW (object);

  cancel_jobs (self);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_list_free_full (g_steal_pointer (&self->pending_files), g_object_unref);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_signal_handlers_disconnect_by_data (gtk_recent_manager_get_default (), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_WINDOW);

  G_OBJECT_CLASS (attn_window_parent_class)->dispose (object);
}

static void
attn_window_finalize (GObject *object)
{
  AttnWindow *self = ATTN_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->recent_menu);
  g_clear_object (&self->save_file);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->example, attn_example_unref);
  g_clear_pointer (&self->heads, g_array_unref);
  g_clear_pointer (&self->graph, attn_graph_unref);
  g_clear_pointer (&self->traces, g_hash_table_unref);
  g_clear_pointer (&self->trace_progress, attn_progress_unref);
  g_clear_pointer (&self->convention_progress, attn_progress_unref);
  g_free (self->heads_text);
  g_free (self->graph_key);
  g_free (self->heatmap_key);
  g_clear_pointer (&self->heatmap_trace, attn_trace_unref);
  g_free (self->last_message);

  G_OBJECT_CLASS (attn_window_parent_class)->finalize (object);
}

static void
attn_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AttnWindow *self = ATTN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, attn_method_get_name (self->method));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  AttnWindow *self = ATTN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      {
        AttnMethod method;

        if (attn_method_from_name (g_value_get_string (value), &method))
          set_method (self, method);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
attn_window_class_init (AttnWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = attn_window_dispose;
  object_class->finalize = attn_window_finalize;
  widget_class->unrealize = attn_window_unrealize;
  object_class->get_property = attn_window_get_property;
  object_class->set_property = attn_window_set_property;

  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, "rollout",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATTN_TYPE_GRAPH_VIEW);
  g_type_ensure (ATTN_TYPE_FIGURE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/attnflow/AttnFlow/ui/attn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, example_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, graph_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heatmap_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, all_methods_check);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, side_panel);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heat_paned);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, residual_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, head_mix_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heads_entry);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, first_layer_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, last_layer_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, colormap_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, threshold_scale);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, top_k_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, exclude_special_check);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compute_flow_button);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_property_action (widget_class, "win.view", "view");
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.evaluation", NULL, evaluation_action);
  gtk_widget_class_install_action (widget_class, "win.clear-selection", NULL, clear_selection_action);
  gtk_widget_class_install_action (widget_class, "win.compute-flow", NULL, compute_flow_action);
  gtk_widget_class_install_action (widget_class, "win.example-step", "i", example_step_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, graph_view_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, graph_view_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, graph_view_action);
  gtk_widget_class_install_action (widget_class, "win.focus-graph", NULL, focus_graph_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.copy-command", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.compare", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.evaluation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.clear-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.view", "s", "raw");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.view", "s", "rollout");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "win.view", "s", "flow");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "win.example-step", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "win.example-step", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "win.focus-graph", NULL);
}

static void
attn_window_init (AttnWindow *self)
{
  GtkDropTarget *drop;
  g_autoptr(GtkStringList) colormaps = gtk_string_list_new (NULL);
  const char * const *names;
  g_autofree char *heads = NULL;

  self->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_document_unref);
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->traces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) attn_trace_unref);
  self->sel_sink = -1;
  self->method = ATTN_METHOD_ROLLOUT;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* until a file with references is open */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.evaluation", FALSE);

  self->settings = g_settings_new (APP_ID);
  self->method = g_settings_get_enum (self->settings, "default-method");

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);

  /* examples */
  self->example_model = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->example_dropdown, G_LIST_MODEL (self->example_model));
  g_object_unref (self->example_model);
  g_signal_connect (self->example_dropdown, "notify::selected", G_CALLBACK (example_selected_cb), self);
  {
    /* search the picker by its labels */
    g_autoptr(GtkExpression) expression =
      gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
    gtk_drop_down_set_expression (self->example_dropdown, expression);
  }

  /* recent files */
  self->recent_menu = g_menu_new ();
  adw_split_button_set_menu_model (self->open_button, G_MENU_MODEL (self->recent_menu));
  update_recent_menu (self);
  g_signal_connect (gtk_recent_manager_get_default (), "changed", G_CALLBACK (recent_changed_cb), self);

  /* drag and drop */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  /* the graph above the heatmap */
  g_signal_connect (self->heat_paned, "notify::max-position",
                    G_CALLBACK (heat_paned_max_position_changed_cb), self);
  g_signal_connect (self->heat_paned, "notify::position",
                    G_CALLBACK (heat_paned_position_changed_cb), self);
  g_signal_connect (self->graph_view, "node-activated", G_CALLBACK (node_activated_cb), self);
  g_signal_connect (self->graph_view, "notify::hover-text", G_CALLBACK (hover_text_changed_cb), self);

  /* settings panel */
  g_settings_bind (self->settings, "residual",
                   gtk_spin_button_get_adjustment (self->residual_spin), "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "edge-threshold",
                   gtk_range_get_adjustment (GTK_RANGE (self->threshold_scale)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "top-k",
                   gtk_spin_button_get_adjustment (self->top_k_spin), "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "exclude-special", self->exclude_special_check, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "heatmap-all-methods", self->all_methods_check, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-settings", self->side_panel, "visible",
                   G_SETTINGS_BIND_GET);
  {
    g_autoptr(GAction) action = g_settings_create_action (self->settings, "show-settings");
    g_action_map_add_action (G_ACTION_MAP (self), action);
  }

  gtk_drop_down_set_selected (self->head_mix_dropdown, g_settings_get_enum (self->settings, "head-mix"));
  g_signal_connect (self->head_mix_dropdown, "notify::selected", G_CALLBACK (head_mix_selected_cb), self);

  names = attn_colormap_list_names ();
  {
    g_autofree char *current = g_settings_get_string (self->settings, "colormap");

    for (guint i = 0; names[i] != NULL; i++)
      gtk_string_list_append (colormaps, names[i]);
    gtk_drop_down_set_model (self->colormap_dropdown, G_LIST_MODEL (colormaps));
    for (guint i = 0; names[i] != NULL; i++)
      if (g_str_equal (names[i], current))
        gtk_drop_down_set_selected (self->colormap_dropdown, i);
  }
  g_signal_connect (self->colormap_dropdown, "notify::selected", G_CALLBACK (colormap_selected_cb), self);

  heads = g_settings_get_string (self->settings, "heads");
  self->heads_text = g_strdup ("all");
  gtk_editable_set_text (GTK_EDITABLE (self->heads_entry), heads);
  g_signal_connect (self->heads_entry, "changed", G_CALLBACK (heads_changed_cb), self);

  g_signal_connect (self->first_layer_spin, "value-changed", G_CALLBACK (layer_spin_changed_cb), self);
  g_signal_connect (self->last_layer_spin, "value-changed", G_CALLBACK (layer_spin_changed_cb), self);

  g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  update_view_options (self);
  update_selection_label (self);

  gtk_stack_set_visible_child_name (self->main_stack, "empty");
  update_actions (self);
}

AttnWindow *
attn_window_new (GtkApplication *application)
{
  return g_object_new (ATTN_TYPE_WINDOW, "application", application, NULL);
}

AttnGraphView *
attn_window_get_graph_view (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return self->graph_view;
}

AttnExample *
attn_window_get_example (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return self->example;
}

guint
attn_window_get_n_examples (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), 0);

  return self->entries->len;
}

void
attn_window_set_example (AttnWindow *self,
                         guint       index)
{
  g_return_if_fail (ATTN_IS_WINDOW (self));

  show_example (self, index);
}

AttnMethod
attn_window_get_method (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), ATTN_METHOD_ROLLOUT);

  return self->method;
}

/**
 * attn_window_is_busy:
 *
 * Returns: whether a file is loading or a click's result, the un-clicked
 *   flow view, the graph or its image is being computed
 */
gboolean
attn_window_is_busy (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), FALSE);

  return self->n_loading > 0 || self->pending_files != NULL || self->trace_running ||
         self->graph_cancellable != NULL || self->convention_cancellable != NULL ||
         self->n_saving > 0 || self->heatmap_running ||
         attn_graph_view_is_rendering (self->graph_view);
}

/**
 * attn_window_get_job_cancellable:
 *
 * Returns: (transfer none) (nullable): the cancellable of the computation of
 *   the current selection or view while it runs (what the next selection
 *   cancels), %NULL when none runs
 */
GCancellable *
attn_window_get_job_cancellable (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return self->trace_running ? self->trace_cancellable : NULL;
}

guint
attn_window_get_n_loading (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), 0);

  return self->n_loading + g_list_length (self->pending_files);
}

/**
 * attn_window_get_last_message:
 *
 * Returns: (nullable): the text of the last toast shown
 */
const char *
attn_window_get_last_message (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return self->last_message;
}

AttnFigure *
attn_window_get_heatmap (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return attn_figure_view_get_figure (self->heatmap_view);
}

/**
 * attn_window_get_heatmap_work:
 * @n_graphs: (out) (optional): graphs the heatmap jobs built themselves
 * @n_values: (out) (optional): per-method value sets they computed themselves
 *
 * A test hook: what the heatmap panel computed instead of reusing the
 * window's graph and the click's values, summed over finished jobs.
 */
void
attn_window_get_heatmap_work (AttnWindow *self,
                              guint      *n_graphs,
                              guint      *n_values)
{
  g_return_if_fail (ATTN_IS_WINDOW (self));

  if (n_graphs != NULL)
    *n_graphs = self->n_heatmap_graphs;
  if (n_values != NULL)
    *n_values = self->n_heatmap_values;
}
