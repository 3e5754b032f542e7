/* attn-window.c: the main window
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * View code: the session (attn-session.c) computes; this file puts its
 * results on screen (the graph, the progress bar, the status line) and
 * passes clicks and settings on. The heatmap panel, the actions, the opening
 * of files and the side panel are in attn-window-*.c.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-session-private.h"
#include "attn-toast.h"
#include "attn-window-private.h"

/* The graph takes this share of the height above the heatmap until the user
 * moves the handle */
#define GRAPH_HEIGHT_SHARE 0.6
/* The heatmap panel's smallest text, in pixels, before it pans: the size a
 * heatmap too large for the panel is laid out to be scrolled at
 * (attn_figure_new_at_size()), as wide as the panel */
#define HEATMAP_MIN_TEXT_SIZE 9.

G_DEFINE_FINAL_TYPE (AttnWindow, attn_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_VIEW,
  PROP_WEIGHTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_attn_window_show_toast (AttnWindow *self,
                         const char *message)
{
  attn_show_toast (self->toast_overlay, &self->last_message, message);
}

/* An error about @path (nullable): the toast names the file, its Details give
 * the whole path; it takes the place of the error toast before it */
void
_attn_window_show_file_error (AttnWindow *self,
                              const char *path,
                              const char *message)
{
  g_autofree char *named = attn_toast_file_message (path, message);
  g_autofree char *details = attn_toast_file_details (path, message);

  attn_show_error_toast (self->toast_overlay, &self->last_message, named, details);
}

/* The file of the example shown */
const char *
_attn_window_get_path (AttnWindow *self)
{
  if (self->current >= self->entries->len)
    return NULL;
  return attn_document_get_path (g_array_index (self->entries, AttnWindowEntry, self->current).document);
}

/* The example shown as a figure's input: the example, its file and the
 * session's graph; no values (those missing are computed) */
void
_attn_window_fill_input (AttnWindow      *self,
                         AttnFigureInput *input)
{
  *input = (AttnFigureInput) { attn_session_get_example (self->session), _attn_window_get_path (self),
                               attn_session_get_graph (self->session), { NULL, }, { NULL, } };
}

/* Actions that need an example (or two, or a file) are greyed out without them */
void
_attn_window_update_actions (AttnWindow *self)
{
  static const char *need_example[] = {
    "win.save", "win.save-as", "win.save-all", "win.save-heatmap", "win.copy-command", "win.copy-values",
    "win.save-values",
    "win.clear-selection",
    "win.compute-flow",
    "win.zoom-in", "win.zoom-out", "win.zoom-fit", "win.focus-graph",
  };
  gboolean has_example = attn_session_get_example (self->session) != NULL;
  GAction *show_settings = g_action_map_lookup_action (G_ACTION_MAP (self), "show-settings");

  for (guint i = 0; i < G_N_ELEMENTS (need_example); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), need_example[i], has_example);
  /* the method switch and the side panel's toggle: nothing to switch or show without one */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.view", has_example);
  if (show_settings != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (show_settings), has_example);
  /* with a file open they stay enabled: their toasts say why when they
   * cannot open (one example only, no references) */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare", self->documents->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.evaluation", self->documents->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.example-step", self->entries->len >= 2);
  gtk_widget_set_visible (GTK_WIDGET (self->example_picker), self->entries->len > 0);
}

/* The progress bar: the session's progress, or a pulse when it does not say */

/* The session's progress, else that of the figures of all examples; < 0
 * when the job does not say */
static double
shown_fraction (AttnWindow *self)
{
  if (!attn_session_get_busy (self->session) && self->batch_progress != NULL)
    return attn_progress_get_fraction (self->batch_progress);
  return attn_session_get_progress (self->session);
}

static void update_selection_label (AttnWindow *self);

static gboolean
pulse_cb (gpointer data)
{
  AttnWindow *self = data;

  if (shown_fraction (self) < 0.)
    gtk_progress_bar_pulse (self->progress_bar);
  /* a computation that takes long enough is named there */
  update_selection_label (self);
  /* a click while the heatmap was being computed already */
  _attn_window_update_heatmap_stale (self);
  return G_SOURCE_CONTINUE;
}

void
_attn_window_update_progress (AttnWindow *self)
{
  gboolean busy = attn_session_get_busy (self->session) || self->n_loading > 0 || self->n_saving > 0;
  double fraction = shown_fraction (self);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  attn_graph_view_set_busy (self->graph_view, busy);
  if (busy && fraction >= 0.)
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  if (busy && self->pulse_id == 0)
    self->pulse_id = g_timeout_add (ATTN_WINDOW_PULSE_MS, pulse_cb, self);
  else if (!busy)
    g_clear_handle_id (&self->pulse_id, g_source_remove);

  /* the empty page names the file opening (a long input takes seconds) */
  if (self->n_loading > 0 && self->loading_name != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Opening “%s”…"), self->loading_name);

      adw_status_page_set_title (self->status_page, title);
    }
  else
    adw_status_page_set_title (self->status_page, _("No Attention Export Open"));
}

/* "Computing: …" of @what: how much of it is @done (< 0: not said) and
 * about how many seconds are @left (< 0: not known) */
static char *
describe_computing (const char *what,
                    double      done,
                    double      left)
{
  g_autofree char *duration = NULL;

  /* progress first: a narrow window cuts the end */
  if (done < 0.)
    /* translators: what is computed ("Attention flow from “his” at layer 6, position 7") */
    return g_strdup_printf (_("Computing: %s"), what);
  if (left < 0.)
    /* translators: how much of it is done (per cent), and what is computed */
    return g_strdup_printf (_("Computing: %.0f %% done · %s"), 100. * done, what);
  duration = attn_format_duration (left);
  /* translators: how much of it is done (per cent), about how long is left ("20 seconds"),
   * measured as it goes, and what is computed */
  return g_strdup_printf (_("Computing: %.0f %% done, about %s left · %s"), 100. * done, duration, what);
}

/* The status line while the trace asked for is computed, once it takes
 * long (a flow click on a long input): what, how far, how long is left */
static char *
describe_pending (AttnWindow *self)
{
  AttnExample *example = attn_session_get_example (self->session);
  AttnTraceQuery query;
  double elapsed, left;
  g_autofree char *what = NULL;
  g_autofree char *method = NULL;

  if (example == NULL || !attn_session_get_pending (self->session, &query, &elapsed, &left) ||
      elapsed < ATTN_WINDOW_PENDING_S)
    return NULL;
  method = attn_method_dup_label (query.method,
                                  attn_graph_settings_get_weights (attn_session_get_settings (self->session)));
  if (query.layer > 0)
    {
      g_autofree char *token = attn_token_display_whole (attn_example_get_token (example, query.position));

      /* translators: method, selected token, layer, position */
      what = g_strdup_printf (_("%s from “%s” at layer %u, position %u"), method, token, query.layer,
                              query.position);
    }
  else
    /* translators: method name */
    what = g_strdup_printf (_("%s of every node"), method);
  return describe_computing (what, attn_session_get_progress (self->session), left);
}

/* The status line while the un-clicked view is computed layer by layer,
 * without a time left: how far it got */
static char *
describe_every_node (AttnWindow *self)
{
  g_autofree char *method = attn_method_dup_label (attn_session_get_method (self->session),
                                                   attn_graph_settings_get_weights (attn_session_get_settings (self->session)));
  /* translators: method name */
  g_autofree char *what = g_strdup_printf (_("%s of every node"), method);

  return describe_computing (what, attn_session_get_progress (self->session), -1.);
}

/* The status line: what is being computed, once it takes long; else what
 * the pointer (or the keyboard cursor) is on, else what is selected. A
 * result is described once it is drawn: a graph whose image takes long
 * (a long input), or comes after a long wait, is said to be drawn. */
static void
update_selection_label (AttnWindow *self)
{
  const char *hover = attn_graph_view_get_hover_text (self->graph_view);
  double left = attn_session_get_every_node_time_left (self->session);
  g_autofree char *text = describe_pending (self);
  gboolean drawing = self->drawing_since != 0 &&
                     (self->status_waits ||
                      g_get_monotonic_time () - self->drawing_since >= ATTN_WINDOW_PENDING_S * G_USEC_PER_SEC);
  gboolean pending = text != NULL;

  /* a computation just asked for: the line stays as it was until it is
   * named or its result is drawn (it said "flow of every node" of a long
   * input's, never computed, for a moment after a click) */
  if (!pending && attn_session_get_pending (self->session, NULL, NULL, NULL) &&
      gtk_label_get_text (self->selection_label)[0] != '\0')
    return;

  /* the hovered node's values are those of the result still shown */
  if (pending)
    hover = NULL;
  /* a long input's un-clicked flow is not computed unless asked for: the
   * empty graph is not "the flow of every node" */
  else if (attn_session_get_every_node_offered (self->session))
    {
      guint done = attn_session_get_every_node_done (self->session);

      if (done > 0)
        /* translators: the layers done when the user stopped the computation, of how many */
        text = g_strdup_printf (_("Flow up to layer %u of %u: click a node, or compute the rest above"),
                                done, attn_example_get_n_layers (attn_session_get_example (self->session)));
      else
        text = g_strdup (_("Long input: click a node, or compute the flow of every node above"));
    }
  else if (left > 0.)
    {
      g_autofree char *duration = attn_format_duration (left);

      /* translators: %s is a duration such as "5 minutes": the work left at the pace measured so far */
      text = g_strdup_printf (_("Computing the flow of every node: about %s left"), duration);
    }
  /* rollout's, which has no estimate (flow's is 0 only once it is all done): how far it got */
  else if (left == 0.)
    text = describe_every_node (self);
  else if (drawing)
    text = g_strdup (_("Drawing the graph…"));
  else if (attn_session_get_every_node_behind (self->session))
    {
      g_autofree char *selection = attn_graph_view_describe_selection (self->graph_view);

      /* translators: the selected node described; the flow of every node the user asked for
       * goes on being computed behind it (the progress bar above) */
      text = g_strdup_printf (_("%s · the flow of every node goes on"),
                              selection);
    }
  else
    text = attn_graph_view_describe_selection (self->graph_view);
  self->status_waits = pending || left >= 0. || drawing;

  if (g_strcmp0 (gtk_label_get_text (self->selection_label), hover ? hover : text) == 0)
    return;
  gtk_label_set_text (self->selection_label, hover ? hover : text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->selection_label), hover ? hover : text);
}

/* The session's results */

static void
scene_changed_cb (AttnSession *session,
                  GParamSpec  *pspec,
                  AttnWindow  *self)
{
  attn_graph_view_set_scene (self->graph_view, attn_session_get_scene (session));
  update_selection_label (self);
}

static void
results_changed_cb (AttnSession *session,
                    AttnWindow  *self)
{
  _attn_window_update_heatmap (self);
}

static void
failed_cb (AttnSession *session,
           const char  *message,
           AttnWindow  *self)
{
  _attn_window_show_file_error (self, _attn_window_get_path (self), message);
}

static void
busy_changed_cb (AttnSession *session,
                 GParamSpec  *pspec,
                 AttnWindow  *self)
{
  _attn_window_update_progress (self);
  /* the time left of the flow of every node */
  update_selection_label (self);
  _attn_window_update_heatmap_stale (self);
}

static void
method_changed_cb (AttnSession *session,
                   GParamSpec  *pspec,
                   AttnWindow  *self)
{
  _attn_window_update_residual (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
settings_changed_cb (AttnSession *session,
                     GParamSpec  *pspec,
                     AttnWindow  *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEIGHTS]);
}

static void
node_activated_cb (AttnGraphView *view,
                   guint          layer,
                   guint          position,
                   AttnWindow    *self)
{
  g_autofree char *text = NULL;

  if (attn_session_activate_node (self->session, layer, position))
    return;
  if (layer == 0)
    {
      _attn_window_show_toast (self, _("Select a node above the inputs first, then an input token to see the paths to it"));
      return;
    }
  /* the bottom row of a range of layers: their input */
  /* translators: the layer under the layers shown, such as 4 under 5–6, twice */
  text = g_strdup_printf (_("Layer %u is the input of the layers shown: select a node above it, or show layer %u too"),
                          layer, layer);
  _attn_window_show_toast (self, text);
}

/* A click on a heatmap cell selects that node in the graph */
static void
cell_activated_cb (AttnFigureView *view,
                   guint           layer,
                   guint           position,
                   AttnWindow     *self)
{
  attn_session_activate_node (self->session, layer, position);
}

static void
hover_text_changed_cb (AttnGraphView *view,
                       GParamSpec    *pspec,
                       AttnWindow    *self)
{
  update_selection_label (self);
}

static gboolean
drawing_timeout_cb (gpointer data)
{
  AttnWindow *self = data;

  self->drawing_id = 0;
  update_selection_label (self);
  return G_SOURCE_REMOVE;
}

/* An image that takes long to draw (a long input) is said so in the status
 * line, not described before it is on screen */
static void
rendering_changed_cb (AttnGraphView *view,
                      GParamSpec    *pspec,
                      AttnWindow    *self)
{
  g_clear_handle_id (&self->drawing_id, g_source_remove);
  if (attn_graph_view_is_rendering (view))
    {
      self->drawing_since = g_get_monotonic_time ();
      self->drawing_id = g_timeout_add ((guint) (ATTN_WINDOW_PENDING_S * 1000), drawing_timeout_cb, self);
    }
  else
    {
      self->drawing_since = 0;
      update_selection_label (self);
    }
}

/* The graph above the heatmap */

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
  gtk_paned_set_position (paned, MIN ((int) (gtk_widget_get_height (GTK_WIDGET (paned)) *
                                             GRAPH_HEIGHT_SHARE),
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
close_idle_cb (gpointer data)
{
  gtk_window_close (data);
  return G_SOURCE_REMOVE;
}

static void
stop_saving_response_cb (AdwMessageDialog *alert,
                         const char       *response,
                         AttnWindow       *self)
{
  if (!g_str_equal (response, "close"))
    return;
  self->close_confirmed = TRUE;
  /* once the dialog is done with its response: closing the window under
   * it left GLib criticals */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

/* Closing stops Save Figures of All Examples: asked first (it stopped
 * without a word, a third of the figures saved) */
static gboolean
ask_stop_saving (AttnWindow *self)
{
  GtkWidget *alert;
  guint percent;

  if (self->batch_cancellable == NULL || self->close_confirmed)
    return FALSE;
  percent = (guint) floor (100. * attn_progress_get_fraction (self->batch_progress));
  alert = adw_message_dialog_new (GTK_WINDOW (self), _("Stop Saving the Figures?"), NULL);
  /* translators: %u is a percentage */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (alert),
                                  _("The figures of all examples are being saved, %u %% so far. Closing the "
                                    "window stops it; the figures saved stay."), percent);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (alert), "cancel", _("_Keep Saving"),
                                    "close", _("_Stop and Close"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (alert), "close", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (alert), "cancel");
  g_signal_connect_object (alert, "response", G_CALLBACK (stop_saving_response_cb), self, 0);
  /* the saving may end first: the batch's end closes the question */
  g_set_weak_pointer (&self->stop_saving_dialog, alert);
  gtk_window_present (GTK_WINDOW (alert));
  return TRUE;
}

static gboolean
close_request_cb (GtkWindow *window,
                  gpointer   user_data)
{
  AttnWindow *self = ATTN_WINDOW (window);
  int width, height;

  if (ask_stop_saving (self))
    return TRUE;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  return FALSE;
}

static void
cancel_jobs (AttnWindow *self)
{
  attn_session_cancel (self->session);
  attn_cancel_and_clear (&self->heatmap_cancellable);
  /* kept: the batch's callback knows it by it, and ends it */
  if (self->batch_cancellable != NULL)
    g_cancellable_cancel (self->batch_cancellable);
}

/* gtk_window_destroy() unrealizes the window but does not dispose it while
 * other references remain: stop the work here, or a closed window would
 * compute on (a whole flow at n = 512) before it goes away. */
static void
attn_window_unrealize (GtkWidget *widget)
{
  cancel_jobs (ATTN_WINDOW (widget));

  GTK_WIDGET_CLASS (attn_window_parent_class)->unrealize (widget);
}

/* The window's actions go with it. GTK 4.8 can keep the window's action
 * group after the window is finalized: the tooltip GTK keeps for the display
 * holds a label whose action muxer keeps, as its parent, the muxer of the
 * window the tooltip was last shown in (taking the tooltip off the window
 * does not update the muxers under it), and that muxer holds the group. An
 * action left in it would outlive the window, and a change of the key behind
 * the settings action (show-settings) would be told to the freed window. */
static void
remove_actions (AttnWindow *self)
{
  g_auto(GStrv) names = g_action_group_list_actions (G_ACTION_GROUP (self));

  for (guint i = 0; names[i] != NULL; i++)
    g_action_map_remove_action (G_ACTION_MAP (self), names[i]);
}

static void
attn_window_dispose (GObject *object)
{
  AttnWindow *self = ATTN_WINDOW (object);

  if (self->session != NULL)
    {
      cancel_jobs (self);
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_clear_object (&self->session);
    }
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->drawing_id, g_source_remove);
  g_clear_handle_id (&self->label_idle_id, g_source_remove);
  g_clear_weak_pointer (&self->stop_saving_dialog);
  /* its image may still be finishing */
  if (self->graph_view != NULL)
    g_signal_handlers_disconnect_by_data (self->graph_view, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  _attn_window_dispose_watch (self);
  _attn_window_dispose_open (self);
  attn_window_detach_tooltip (GTK_WINDOW (self));
  remove_actions (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATTN_TYPE_WINDOW);

  G_OBJECT_CLASS (attn_window_parent_class)->dispose (object);
}

static void
attn_window_finalize (GObject *object)
{
  AttnWindow *self = ATTN_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->save_file);
  g_clear_pointer (&self->save_name, g_free);
  g_clear_pointer (&self->loading_name, g_free);
  g_free (self->heatmap_key);
  g_free (self->heatmap_building_key);
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
      g_value_set_string (value, attn_method_get_name (attn_session_get_method (self->session)));
      break;
    case PROP_WEIGHTS:
      g_value_set_string (value, attn_weight_kind_get_name (
                            attn_graph_settings_get_weights (attn_session_get_settings (self->session))));
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
  AttnWeightKind weights;
  AttnMethod method;

  switch (prop_id)
    {
    case PROP_VIEW:
      if (attn_method_from_name (g_value_get_string (value), &method))
        attn_session_set_method (self->session, method);
      break;
    case PROP_WEIGHTS:
      if (attn_weight_kind_from_name (g_value_get_string (value), &weights))
        _attn_window_set_weights (self, weights);
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
  object_class->get_property = attn_window_get_property;
  object_class->set_property = attn_window_set_property;
  widget_class->unrealize = attn_window_unrealize;

  /**
   * AttnWindow:view:
   *
   * The method shown: "raw", "rollout" or "flow" (the win.view action).
   */
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, "rollout",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * AttnWindow:weights:
   *
   * What the graph's edges weigh, as a `--weights` name: "attention",
   * "norm", "globenc", "alti", "value-zeroing" or "attn-grad" (the
   * win.weights action; the Weights selector). Set to a kind the example
   * lacks, it is remembered for the examples that carry it.
   */
  properties[PROP_WEIGHTS] =
    g_param_spec_string ("weights", NULL, NULL, "attention",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATTN_TYPE_GRAPH_VIEW);
  g_type_ensure (ATTN_TYPE_FIGURE_VIEW);
  g_type_ensure (ATTN_TYPE_EXAMPLE_PICKER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/attnflow/AttnFlow/ui/attn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, example_picker);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, graph_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heatmap_view);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heatmap_pending);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, all_methods_check);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, all_weights_check);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, weights_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, residual_note);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, side_panel);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heat_paned);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, residual_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, residual_label);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, residual_error);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, head_mix_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heads_entry);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, heads_error);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, first_layer_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, last_layer_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, colormap_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, color_scale_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, threshold_scale);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, top_k_spin);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, exclude_special_check);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compute_flow_button);
  gtk_widget_class_bind_template_child (widget_class, AttnWindow, compute_flow_label);

  _attn_window_class_init_actions (widget_class);
  attn_toast_install_details_action (widget_class);
}

static gboolean
selection_label_idle_cb (gpointer data)
{
  AttnWindow *self = data;

  self->label_idle_id = 0;
  update_selection_label (self);
  return G_SOURCE_REMOVE;
}

/* The un-clicked flow view of a long input is offered with its time. The
 * status line follows once the session has started what a click asks for
 * (it said "flow of every node", never computed, for a moment after it). */
static void
every_node_offered_cb (AttnSession *session,
                       GParamSpec  *pspec,
                       AttnWindow  *self)
{
  double seconds = attn_session_get_every_node_estimate (session);
  g_autofree char *duration = NULL;
  g_autofree char *label = NULL;

  if (self->label_idle_id == 0)
    self->label_idle_id = g_idle_add (selection_label_idle_cb, self);
  if (seconds <= 0.)
    {
      gtk_label_set_text_with_mnemonic (self->compute_flow_label, _("Compute Flow for Every _Node"));
      return;
    }
  duration = attn_format_duration (seconds);
  /* translators: %s is a duration such as "5 minutes" */
  label = g_strdup_printf (_("Compute Flow for Every _Node (about %s)"), duration);
  gtk_label_set_text_with_mnemonic (self->compute_flow_label, label);
}

static void
connect_session (AttnWindow *self)
{
  g_signal_connect (self->session, "notify::scene", G_CALLBACK (scene_changed_cb), self);
  g_signal_connect (self->session, "results-changed", G_CALLBACK (results_changed_cb), self);
  g_signal_connect (self->session, "failed", G_CALLBACK (failed_cb), self);
  g_signal_connect (self->session, "notify::busy", G_CALLBACK (busy_changed_cb), self);
  g_signal_connect (self->session, "notify::progress", G_CALLBACK (busy_changed_cb), self);
  g_signal_connect (self->session, "notify::method", G_CALLBACK (method_changed_cb), self);
  g_signal_connect (self->session, "notify::settings", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect (self->session, "notify::all-methods", G_CALLBACK (method_changed_cb), self);
  g_signal_connect_swapped (self->session, "notify::heatmap-error",
                            G_CALLBACK (_attn_window_update_heatmap), self);
  /* All Weights with only one kind left by the heads brings no new values,
   * only the note that names the kinds left out: the figure is built again */
  g_signal_connect_swapped (self->session, "notify::all-weights",
                            G_CALLBACK (_attn_window_update_heatmap), self);
  g_object_bind_property (self->session, "every-node-offered", self->compute_flow_button, "visible",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect (self->session, "notify::every-node-offered", G_CALLBACK (every_node_offered_cb),
                    self);
}

static void
attn_window_init (AttnWindow *self)
{
  /* first: the view action reads the session's method */
  self->settings = g_settings_new (APP_ID);
  self->session = attn_session_new ();
  attn_session_set_method (self->session, g_settings_get_enum (self->settings, "default-method"));

  gtk_widget_init_template (GTK_WIDGET (self));
  _attn_window_init_step_keys (self);
  connect_session (self);
  /* the labels of messages: Korean wraps between words */
  attn_label_wrap_between_words (self->selection_label);
  attn_label_wrap_between_words (self->residual_note);
  attn_label_wrap_between_words (self->heads_error);
  attn_label_wrap_between_words (self->residual_error);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);

  _attn_window_init_open (self);
  _attn_window_init_watch (self);

  g_signal_connect (self->heat_paned, "notify::max-position",
                    G_CALLBACK (heat_paned_max_position_changed_cb), self);
  g_signal_connect (self->heat_paned, "notify::position",
                    G_CALLBACK (heat_paned_position_changed_cb), self);
  g_signal_connect (self->graph_view, "node-activated", G_CALLBACK (node_activated_cb), self);
  g_signal_connect (self->graph_view, "notify::hover-text", G_CALLBACK (hover_text_changed_cb), self);
  g_signal_connect (self->graph_view, "notify::rendering", G_CALLBACK (rendering_changed_cb), self);
  g_signal_connect (self->heatmap_view, "cell-activated", G_CALLBACK (cell_activated_cb), self);
  _attn_window_init_zoom (self);
  _attn_window_init_status_row (self);
  /* the panel under the graph is low: a heatmap that does not fit it
   * legibly is panned, its text at 9 px */
  attn_figure_view_set_min_text_size (self->heatmap_view, HEATMAP_MIN_TEXT_SIZE);

  _attn_window_init_settings (self);
  _attn_window_update_residual (self);
  update_selection_label (self);

  gtk_stack_set_visible_child_name (self->main_stack, "empty");
  _attn_window_update_actions (self);
  attn_hide_tooltips_of_open_lists (GTK_WIDGET (self));
}

AttnWindow *
attn_window_new (GtkApplication *application)
{
  return g_object_new (ATTN_TYPE_WINDOW, "application", application, NULL);
}

/**
 * attn_window_get_session:
 *
 * Returns: (transfer none): the session that computes what the window shows
 */
AttnSession *
attn_window_get_session (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return self->session;
}

AttnGraphView *
attn_window_get_graph_view (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return self->graph_view;
}

/**
 * attn_window_get_example:
 *
 * Returns: (transfer none) (nullable): the example shown
 */
AttnExample *
attn_window_get_example (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return attn_session_get_example (self->session);
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

  _attn_window_show_example (self, index);
}

AttnMethod
attn_window_get_method (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), ATTN_METHOD_ROLLOUT);

  return attn_session_get_method (self->session);
}

/**
 * attn_window_is_busy:
 *
 * Returns: whether a file is loading or saving, the session computes, or
 *   the heatmap's figure or the graph's image is being made
 */
gboolean
attn_window_is_busy (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), FALSE);

  return self->n_loading > 0 || self->pending_files != NULL || self->n_saving > 0 ||
         attn_session_get_busy (self->session) || self->heatmap_cancellable != NULL ||
         attn_graph_view_is_rendering (self->graph_view);
}

guint
attn_window_get_n_loading (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), 0);

  return self->n_loading + g_list_length (self->pending_files);
}

/**
 * attn_window_get_heatmap:
 *
 * Returns: (transfer none) (nullable): the heatmap panel's figure
 */
AttnFigure *
attn_window_get_heatmap (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return attn_figure_view_get_figure (self->heatmap_view);
}

/* Test hooks (attn-window-private.h) */

/* the cancellable of the computation of the current selection or view while
 * it runs (what the next selection cancels), %NULL when none runs */
GCancellable *
_attn_window_get_job_cancellable (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return _attn_session_get_trace_cancellable (self->session);
}

/* the text of the last toast shown */
const char *
_attn_window_get_last_message (AttnWindow *self)
{
  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);

  return self->last_message;
}

/* what the heatmap panel computed itself instead of taking the session's
 * graph and the click's values: graphs (none since the session gives its
 * own) and value sets */
void
_attn_window_get_heatmap_work (AttnWindow *self,
                               guint      *n_graphs,
                               guint      *n_values)
{
  g_return_if_fail (ATTN_IS_WINDOW (self));

  if (n_graphs != NULL)
    *n_graphs = 0;
  if (n_values != NULL)
    *n_values = _attn_session_get_n_heatmap_values (self->session);
}
