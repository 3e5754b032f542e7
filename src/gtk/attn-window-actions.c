/* attn-window-actions.c: the main window's actions, figures and command line
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
#include "attn-batch.h"
#include "attn-export.h"
#include "attn-window-private.h"

/* Figures: what the screen shows, as settings of the renderer */

/* The heatmap's position, and its sentence coloured by the selected node's
 * layer, as the status line speaks of it; not one below the layers shown
 * (the command would be refused: “--layer 2 is below --layers 3-8”) */
static void
set_heatmap_position (AttnWindow         *self,
                      AttnFigureSettings *settings,
                      guint               heat_position)
{
  guint layer, position;
  int sink;

  settings->position = heat_position;
  settings->layer = 0;
  if (attn_session_get_selection (self->session, &layer, &position, &sink) &&
      position == heat_position && layer >= settings->first_layer)
    settings->layer = layer;
}

void
_attn_window_fill_figure_settings (AttnWindow         *self,
                                   AttnFigureKind      kind,
                                   AttnFigureSettings *settings)
{
  AttnGraphSettings *graph = attn_session_get_settings (self->session);
  guint layer, position;
  int sink;

  *settings = (AttnFigureSettings) ATTN_FIGURE_SETTINGS_INIT;
  settings->kind = kind;
  settings->method = attn_session_get_method (self->session);
  settings->all_methods = kind == ATTN_FIGURE_HEATMAP && attn_session_get_all_methods (self->session);
  settings->weights = attn_graph_settings_get_weights (graph);
  /* "All Weights": every kind the example carries with the heads, the
   * others named in the figure's note (with one left, it shows alone); not
   * for an example of attention alone, where the check is greyed (the
   * command said --weights all) */
  if (kind == ATTN_FIGURE_HEATMAP && !settings->all_methods && attn_session_get_all_weights (self->session) &&
      self->n_offered_weights > 1)
    {
      settings->weight_kinds = attn_session_get_heatmap_weights (self->session);
      settings->all_weights = TRUE;
    }
  settings->residual = attn_graph_settings_get_residual (graph);
  settings->head_mix = attn_graph_settings_get_head_mix (graph);
  settings->heads = attn_graph_settings_get_heads (graph);
  /* the layers the graph shows: the range clamped to this model, as the
   * side panel's spins show it (a range above the model was left out here:
   * the heatmap and the command showed every layer, the graph the top one) */
  attn_session_get_shown_layers (self->session, &settings->first_layer, &settings->last_layer);
  if (kind == ATTN_FIGURE_HEATMAP)
    set_heatmap_position (self, settings, attn_session_get_heatmap_position (self->session));
  else if (attn_session_get_selection (self->session, &layer, &position, &sink))
    {
      settings->position = position;
      settings->layer = layer;
      settings->sink = settings->method == ATTN_METHOD_FLOW ? sink : -1;
    }
  else
    settings->position = ATTN_POSITION_NONE;
}

/* The settings of the heatmap the panel is to show: those of the figures,
 * at the position whose values the session computes (those it has trail it
 * while they are computed) */
void
_attn_window_fill_heatmap_settings (AttnWindow         *self,
                                    AttnFigureSettings *settings)
{
  _attn_window_fill_figure_settings (self, ATTN_FIGURE_HEATMAP, settings);
  set_heatmap_position (self, settings, attn_session_get_heat_position (self->session));
}

/* The settings of the figure Save Figure (the graph) or Save Heatmap
 * writes: the heatmap's are of the one being computed, if one is */
static void
fill_saved_settings (AttnWindow         *self,
                     AttnFigureKind      kind,
                     AttnFigureSettings *settings)
{
  if (kind == ATTN_FIGURE_HEATMAP)
    _attn_window_fill_heatmap_settings (self, settings);
  else
    _attn_window_fill_figure_settings (self, kind, settings);
}

/* A graph being saved, and the name Save Figure suggested for it */
typedef struct
{
  AttnWindow *self;
  char       *name;
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_object_unref (request->self);
  g_free (request->name);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveRequest, save_request_free)

/* Saved: Save writes there again while it would suggest the same name (set
 * here, with the file: a save that failed, or ended before another, left
 * the name of one and the file of the other) */
static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaveRequest) request = user_data;
  AttnWindow *self = request->self;
  GFile *file = attn_show_figure_saved (result, self->toast_overlay, &self->last_message);

  if (file != NULL)
    {
      g_set_object (&self->save_file, file);
      g_free (self->save_name);
      self->save_name = g_steal_pointer (&request->name);
    }
  self->n_saving--;
  _attn_window_update_progress (self);
}

/* A heatmap saved: Save Figure (the graph's) does not write there again */
static void
saved_heatmap_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AttnWindow) self = user_data;

  attn_show_figure_saved (result, self->toast_overlay, &self->last_message);
  self->n_saving--;
  _attn_window_update_progress (self);
}

/* The style of saved figures: the screen's settings in the light style
 * (figures are for paper); in a light window, the screen's own style */
void
_attn_window_figure_style (AttnWindow      *self,
                           AttnFigureStyle *style)
{
  AttnFigureStyle screen;

  attn_graph_view_get_style (self->graph_view, &screen);
  attn_figure_style_init (style, FALSE);
  style->colormap = screen.colormap;
  style->threshold = screen.threshold;
  style->top_k = screen.top_k;
  style->exclude_special = screen.exclude_special;
  style->color_scale = attn_session_get_color_scale (self->session);
}

static char *suggested_name (AttnWindow     *self,
                             AttnFigureKind  kind);

/* The size the screen shows the graph (@kind) or the heatmap at, and lays
 * it out at: its view's, in pixels at 1x; 0 x 0 (the figure's natural
 * size) while the view has none */
void
_attn_window_shown_size (AttnWindow     *self,
                         AttnFigureKind  kind,
                         int            *width,
                         int            *height)
{
  GtkWidget *view = kind == ATTN_FIGURE_HEATMAP ? GTK_WIDGET (self->heatmap_view) : GTK_WIDGET (self->graph_view);

  *width = gtk_widget_get_width (view);
  *height = gtk_widget_get_height (view);
  if (*width <= 0 || *height <= 0 || !gtk_widget_get_mapped (view))
    *width = *height = 0;
}

/* Saves the graph on screen: its scene, in the light style (figures are
 * for paper), laid out at the graph view's size as the view lays it out */
void
_attn_window_save_to_file (AttnWindow *self,
                           GFile      *file)
{
  AttnGraphScene *scene = attn_session_get_scene (self->session);
  AttnFigureStyle light;
  SaveRequest *request;
  int width, height;

  if (attn_session_get_example (self->session) == NULL ||
      !attn_check_figure_file (file, self->toast_overlay, &self->last_message))
    return;
  request = g_new (SaveRequest, 1);
  request->self = g_object_ref (self);
  request->name = suggested_name (self, ATTN_FIGURE_GRAPH);
  _attn_window_figure_style (self, &light);
  _attn_window_shown_size (self, ATTN_FIGURE_GRAPH, &width, &height);
  self->n_saving++;
  _attn_window_update_progress (self);
  if (scene != NULL)
    {
      g_autoptr(AttnFigure) figure = attn_figure_new_from_scene_at_size (scene, &light, width, height);

      attn_figure_save_async (figure, file, attn_png_scale (self->settings), NULL, saved_cb, request);
    }
  else
    {
      /* nothing on screen yet: the figure of the settings */
      AttnFigureSettings settings;
      AttnFigureInput input;

      _attn_window_fill_figure_settings (self, ATTN_FIGURE_GRAPH, &settings);
      _attn_window_fill_input (self, &input);
      attn_figure_build_and_save_async (&input, 1, &settings, &light, width, height, file,
                                        attn_png_scale (self->settings), NULL, saved_cb, request);
    }
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

  _attn_window_save_to_file (self, file);
}

/* Every example of the file shown, one figure each, into a folder */

/* The batch's toast closed (its close button): none to say more in */
static void
batch_toast_dismissed_cb (AdwToast   *toast,
                          AttnWindow *self)
{
  if (self->batch_toast == toast && !attn_toast_is_postponed (toast))
    g_clear_object (&self->batch_toast);
}

/* Ends the batch shown. Returns its toast, unless it was closed, for what
 * comes next to say: how the batch ended, or the batch that replaces it */
static AdwToast *
end_batch (AttnWindow *self)
{
  AdwToast *toast = g_steal_pointer (&self->batch_toast);

  /* nothing left to stop: the question goes */
  if (self->stop_saving_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->stop_saving_dialog));
  if (self->batch_progress != NULL)
    attn_progress_disconnect (self->batch_progress);
  g_clear_pointer (&self->batch_progress, attn_progress_unref);
  g_clear_object (&self->batch_cancellable);
  return toast;
}

static void
batch_progress_cb (AttnProgress *progress,
                   AttnWindow   *self)
{
  _attn_window_update_progress (self);
}

static void
saved_all_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AttnWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = attn_figure_save_batch_finish (result, &error);
  g_autoptr(AdwToast) toast = NULL;
  g_autofree char *message = NULL;

  self->n_saving--;
  /* the batch shown ends (not one it replaced) */
  if (g_task_get_cancellable (G_TASK (result)) == self->batch_cancellable)
    toast = end_batch (self);
  /* the window was closed meanwhile */
  if (self->session == NULL)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message = g_strdup (_("Saving the figures of all examples was cancelled"));
  else if (files != NULL)
    {
      g_autofree char *where = NULL;

      if (files->len > 0)
        {
          g_autoptr(GFile) parent = g_file_get_parent (g_ptr_array_index (files, 0));

          where = parent ? attn_error_display_file (parent) : NULL;
        }
      /* translators: how many figures, the folder */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u figure saved in %s",
                                              "%u figures saved in %s", files->len),
                                 files->len, where ? where : "");
    }
  else
    /* translators: why saving the figures of all examples stopped */
    message = g_strdup_printf (_("The figures could not be saved: %s"), error->message);
  if (toast != NULL)
    {
      /* the batch's toast says how it ended, for as long as any other */
      attn_set_string (&self->last_message, message);
      attn_toast_update (toast, message, NULL, ATTN_TOAST_SECONDS);
      attn_toast_show (self->toast_overlay, g_steal_pointer (&toast));
    }
  else
    _attn_window_show_toast (self, message);
  _attn_window_update_progress (self);
}

/* How many of the files a batch of @inputs would write into @folder exist
 * (named by attn_batch_file_names(), as the batch names them) */
static guint
count_existing_figures (GFile                    *folder,
                        GArray                   *inputs,
                        const AttnFigureSettings *settings,
                        AttnExportFormat          format)
{
  g_autoptr(GPtrArray) examples = g_ptr_array_sized_new (inputs->len);
  g_autoptr(GPtrArray) names = NULL;
  guint n_existing = 0;

  for (guint i = 0; i < inputs->len; i++)
    g_ptr_array_add (examples, g_array_index (inputs, AttnFigureInput, i).example);
  names = attn_batch_file_names ((AttnExample * const *) examples->pdata, examples->len, settings, format);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GFile) file = g_file_get_child (folder, g_ptr_array_index (names, i));

      if (g_file_query_exists (file, NULL))
        n_existing++;
    }
  return n_existing;
}

static void save_all (AttnWindow       *self,
                      GFile            *folder,
                      AttnExportFormat  format,
                      gboolean          replace);

static void
replace_all_response_cb (AdwMessageDialog *alert,
                         const char       *response,
                         AttnWindow       *self)
{
  /* the window closed meanwhile: nothing to save */
  if (g_str_equal (response, "replace") && self->session != NULL)
    save_all (self, g_object_get_data (G_OBJECT (alert), "folder"),
              GPOINTER_TO_INT (g_object_get_data (G_OBJECT (alert), "format")), TRUE);
}

/* Asks once whether to replace the @n_existing files of the @n_figures a
 * batch would write into @folder: a second batch there, named as the first,
 * wrote over it without a word. Replace saves them all. */
static void
confirm_replace_all (AttnWindow       *self,
                     GFile            *folder,
                     AttnExportFormat  format,
                     guint             n_existing,
                     guint             n_figures)
{
  g_autofree char *where = attn_error_display_file (folder);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *alert;

  /* translators: %u is how many figure files exist already */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replace %u Figure?", "Replace %u Figures?",
                                          n_existing), n_existing);
  /* translators: how many of the figures have a file of their name, of how
   * many figures, the folder */
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of the %u figures would replace a file of the same name in “%s”.",
                                       "%u of the %u figures would replace files of the same names in “%s”.",
                                       n_existing), n_existing, n_figures, where);
  alert = attn_replace_dialog_new (GTK_WINDOW (self), heading, body);
  g_object_set_data_full (G_OBJECT (alert), "folder", g_object_ref (folder), g_object_unref);
  g_object_set_data (G_OBJECT (alert), "format", GINT_TO_POINTER (format));
  g_signal_connect_object (alert, "response", G_CALLBACK (replace_all_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (alert));
}

/**
 * attn_window_save_all_figures:
 * @folder: where the figures go (made when missing)
 * @format: PNG, SVG or PDF
 *
 * Saves the figure on screen for every example of the file shown, one file
 * each (`<id>-<view>.<ext>`, as `attnflow-cli render --output-dir`): the same
 * method and settings, each example at its focus token when a node is
 * selected, else un-clicked. In the background; the result is a toast.
 * When some of those files exist, it asks first whether to replace them.
 */
void
attn_window_save_all_figures (AttnWindow       *self,
                              GFile            *folder,
                              AttnExportFormat  format)
{
  g_return_if_fail (ATTN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  save_all (self, folder, format, FALSE);
}

/* attn_window_save_all_figures(), asking first unless @replace */
static void
save_all (AttnWindow       *self,
          GFile            *folder,
          AttnExportFormat  format,
          gboolean          replace)
{
  g_autoptr(GArray) inputs = g_array_new (FALSE, TRUE, sizeof (AttnFigureInput));
  AttnDocument *document;
  AttnFigureSettings settings;
  AttnFigureStyle style;
  AdwToast *toast;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  guint n_existing;
  int width, height;

  if (self->current >= self->entries->len)
    return;
  /* a folder that cannot be made or takes no files: said at once, as the
   * batch says it (an error toast, Details the whole message), before any
   * figure is computed or a replace asked; a batch running goes on */
  if (!attn_batch_check_folder (folder, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The figures could not be saved: %s"), error->message);

      attn_show_error_toast (self->toast_overlay, &self->last_message, message, NULL);
      return;
    }
  document = g_array_index (self->entries, AttnWindowEntry, self->current).document;
  _attn_window_fill_figure_settings (self, ATTN_FIGURE_GRAPH, &settings);
  settings.position = settings.position == ATTN_POSITION_NONE ? ATTN_POSITION_NONE : ATTN_POSITION_FOCUS;
  settings.layer = 0;
  settings.sink = -1;
  /* each example clamps the range to its own model, as when it is shown */
  attn_session_get_layer_range (self->session, &settings.first_layer, &settings.last_layer);
  _attn_window_figure_style (self, &style);
  /* each laid out at the graph view's size, as it would be shown */
  _attn_window_shown_size (self, ATTN_FIGURE_GRAPH, &width, &height);
  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnFigureInput input = { attn_document_get_example (document, i),
                                attn_document_get_path (document), NULL, { NULL, } };

      g_array_append_val (inputs, input);
    }
  if (!replace && (n_existing = count_existing_figures (folder, inputs, &settings, format)) > 0)
    {
      confirm_replace_all (self, folder, format, n_existing, inputs->len);
      return;
    }
  /* one batch at a time: a new one replaces the one running, in its toast */
  attn_cancel_and_clear (&self->batch_cancellable);
  toast = end_batch (self);
  self->batch_cancellable = g_cancellable_new ();
  self->batch_progress = attn_progress_new (G_CALLBACK (batch_progress_cb), self);
  /* translators: %u is the number of examples */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saving the figure of %u example…",
                                        "Saving the figures of %u examples…", inputs->len),
                           inputs->len);
  self->batch_toast = toast != NULL ? toast : adw_toast_new (title);
  adw_toast_set_title (self->batch_toast, title);
  adw_toast_set_timeout (self->batch_toast, 0);
  adw_toast_set_button_label (self->batch_toast, _("_Cancel"));
  adw_toast_set_action_name (self->batch_toast, "win.cancel-save-all");
  if (toast == NULL)
    {
      g_signal_connect_object (self->batch_toast, "dismissed", G_CALLBACK (batch_toast_dismissed_cb), self, 0);
      attn_toast_show (self->toast_overlay, g_object_ref (self->batch_toast));
    }
  self->n_saving++;
  _attn_window_update_progress (self);
  attn_figure_save_batch_async (&(AttnBatchRequest) { .inputs = (AttnFigureInput *) inputs->data,
                                .n_inputs = inputs->len, .settings = &settings, .style = &style,
                                .folder = folder, .format = format,
                                .scale = attn_png_scale (self->settings), .width = width, .height = height },
                                self->batch_progress, self->batch_cancellable, saved_all_cb,
                                g_object_ref (self));
}

static void
cancel_save_all_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  if (self->batch_cancellable != NULL)
    g_cancellable_cancel (self->batch_cancellable);
}

static void
folder_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    AttnWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "format");
      AttnExportFormat format = ATTN_EXPORT_PNG;

      if (g_strcmp0 (choice, "svg") == 0)
        format = ATTN_EXPORT_SVG;
      else if (g_strcmp0 (choice, "pdf") == 0)
        format = ATTN_EXPORT_PDF;
      attn_save_dialog_remember_folder (folder);
      if (folder != NULL)
        attn_window_save_all_figures (self, folder, format);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
save_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  static const char *ids[] = { "png", "svg", "pdf", NULL };
  static const char *labels[] = { "PNG", "SVG", "PDF", NULL };
  GtkFileChooserNative *dialog;

  if (attn_session_get_example (self->session) == NULL)
    return;
  dialog = attn_save_dialog_new (GTK_WINDOW (self), _("Save Figures of All Examples"),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  /* GTK shows its list of filters beside a choice: named, not “(None)” */
  attn_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), _("Folders"), "inode/directory", "*");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "format", _("Format"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "format", "png");
  g_signal_connect (dialog, "response", G_CALLBACK (folder_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The name Save Figure (@kind the graph) or Save Heatmap suggests: the one
 * Save Figures of All Examples gives the example's figure with the model
 * after the id (attn_batch_save_name()), as PNG */
static char *
suggested_name (AttnWindow     *self,
                AttnFigureKind  kind)
{
  AttnExample *example = attn_session_get_example (self->session);
  AttnFigureSettings settings;

  g_return_val_if_fail (example != NULL, NULL);

  fill_saved_settings (self, kind, &settings);
  return attn_batch_save_name (example, &settings, ATTN_EXPORT_PNG);
}

static void
save_chosen_cb (GFile   *file,
                GObject *owner)
{
  _attn_window_save_to_file (ATTN_WINDOW (owner), file);
}

static void
save_heatmap_chosen_cb (GFile   *file,
                        GObject *owner)
{
  attn_window_save_heatmap (ATTN_WINDOW (owner), file);
}

/* Asks where to save the graph (@kind) or the heatmap, offering the name
 * the folder export gives it */
static void
ask_save_file (AttnWindow     *self,
               AttnFigureKind  kind)
{
  gboolean heatmap = kind == ATTN_FIGURE_HEATMAP;
  g_autofree char *name = NULL;

  if (attn_session_get_example (self->session) == NULL)
    return;
  name = suggested_name (self, kind);
  attn_choose_save_file (GTK_WINDOW (self), heatmap ? _("Save Heatmap") : _("Save Figure"), name, TRUE,
                         heatmap ? save_heatmap_chosen_cb : save_chosen_cb, G_OBJECT (self));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ask_save_file (ATTN_WINDOW (widget), ATTN_FIGURE_GRAPH);
}

/**
 * attn_window_save_heatmap:
 * @file: where to save; PNG, SVG or PDF by its extension
 *
 * Saves the heatmap under the graph (its method or methods, weights, layers
 * and token), in the light style, in the background; the result is a toast.
 */
void
attn_window_save_heatmap (AttnWindow *self,
                          GFile      *file)
{
  AttnFigureSettings settings, coming;
  AttnFigureStyle light;
  AttnFigureInput input;
  g_autofree char *key = NULL;
  g_autofree char *coming_key = NULL;
  int width, height;

  g_return_if_fail (ATTN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (attn_session_get_example (self->session) == NULL ||
      !attn_check_figure_file (file, self->toast_overlay, &self->last_message))
    return;
  /* the values the heatmap on screen has, when complete and current; else
   * computed: the heatmap being computed, not the one before (a node's
   * heatmap saved while the next one's was computed was the old node's) */
  _attn_window_fill_heatmap_settings (self, &coming);
  coming_key = _attn_window_heatmap_key (self, &coming);
  if (_attn_window_get_heatmap_request (self, &input, &settings))
    key = _attn_window_heatmap_key (self, &settings);
  if (key == NULL || settings.layers_done > 0 || !g_str_equal (key, coming_key))
    {
      settings = coming;
      _attn_window_fill_input (self, &input);
    }
  _attn_window_figure_style (self, &light);
  /* laid out at the panel's size, as on screen */
  _attn_window_shown_size (self, ATTN_FIGURE_HEATMAP, &width, &height);
  self->n_saving++;
  _attn_window_update_progress (self);
  attn_figure_build_and_save_async (&input, 1, &settings, &light, width, height, file,
                                    attn_png_scale (self->settings), NULL, saved_heatmap_cb, g_object_ref (self));
}

static void
save_heatmap_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ask_save_file (ATTN_WINDOW (widget), ATTN_FIGURE_HEATMAP);
}

/* Where Save writes again without asking: the file chosen last, while Save
 * Figure would suggest the name it suggested then. Another example's
 * figure, or another method's or weights' (“author-his-flow-alti.png”
 * holding raw attention), goes to a file of its own name: the last one was
 * overwritten without a word. */
GFile *
_attn_window_get_save_file (AttnWindow *self)
{
  g_autofree char *name = NULL;

  if (self->save_file == NULL || attn_session_get_example (self->session) == NULL)
    return NULL;
  name = suggested_name (self, ATTN_FIGURE_GRAPH);
  return g_strcmp0 (name, self->save_name) == 0 ? self->save_file : NULL;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  GFile *file = _attn_window_get_save_file (self);

  if (file != NULL)
    _attn_window_save_to_file (self, file);
  else
    save_as_action (widget, action_name, parameter);
}

/**
 * attn_window_get_command:
 * @kind: %ATTN_FIGURE_GRAPH or %ATTN_FIGURE_HEATMAP
 * @output: (nullable): the output file name, or %NULL for a default
 *
 * Returns: (transfer full) (nullable): the `attnflow-cli render` line that
 *   draws the figure Save Figure (the graph) or Save Heatmap writes (the
 *   light style, whatever the screen's; `--size` the view's size)
 */
char *
attn_window_get_command (AttnWindow     *self,
                         AttnFigureKind  kind,
                         const char     *output)
{
  AttnFigureSettings settings;
  AttnFigureStyle style;
  AttnFigureInput input;
  g_autofree char *name = NULL;
  AttnExportFormat format;
  int width, height;

  g_return_val_if_fail (ATTN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (kind == ATTN_FIGURE_GRAPH || kind == ATTN_FIGURE_HEATMAP, NULL);

  if (attn_session_get_example (self->session) == NULL)
    return NULL;
  fill_saved_settings (self, kind, &settings);
  /* the style Save Figure draws in, light whatever the screen's */
  _attn_window_figure_style (self, &style);
  _attn_window_fill_input (self, &input);
  if (output == NULL)
    output = name = suggested_name (self, kind);
  _attn_window_shown_size (self, kind, &width, &height);
  /* the PNG resolution, for a PNG (SVG and PDF are vectors) */
  return attn_figure_command_line (&input, 1, &settings, &style, output,
                                   attn_export_format_from_path (output, &format, NULL) && format == ATTN_EXPORT_PNG
                                   ? attn_png_scale (self->settings) : 1., width, height);
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  /* the figure of the view last used, as the zoom buttons act on it */
  gboolean heatmap = self->zoom_view == GTK_WIDGET (self->heatmap_view);
  g_autofree char *command = attn_window_get_command (self, heatmap ? ATTN_FIGURE_HEATMAP : ATTN_FIGURE_GRAPH,
                                                      NULL);

  if (command == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  _attn_window_show_toast (self, heatmap ? _("Command of the heatmap copied") : _("Command copied"));
}

/* The values of the heatmap on screen are not to be copied or saved while
 * the one to show is computed (it is out of date, or the first): TRUE then,
 * and a toast says so */
static gboolean
heatmap_values_pending (AttnWindow *self)
{
  AttnFigureSettings coming;

  if (!_attn_window_heatmap_is_coming (self, &coming))
    return FALSE;
  _attn_window_show_toast (self, _("The heatmap is still being computed: its values are ready once it is shown"));
  return TRUE;
}

/* The heatmap's values, a row per cell */
static void
copy_values_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  if (heatmap_values_pending (self))
    return;
  attn_copy_figure_values (widget, attn_figure_view_get_figure (self->heatmap_view), self->toast_overlay,
                           &self->last_message, "win.save-values");
}

static void
save_values_chosen_cb (GFile   *file,
                       GObject *owner)
{
  AttnWindow *self = ATTN_WINDOW (owner);

  if (heatmap_values_pending (self))
    return;
  attn_save_figure_values (file, attn_figure_view_get_figure (self->heatmap_view), self->toast_overlay,
                           &self->last_message);
}

/* The heatmap's values as a file: too many for the clipboard */
static void
save_values_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  g_autofree char *figure_name = NULL;

  if (attn_session_get_example (self->session) == NULL || heatmap_values_pending (self))
    return;
  figure_name = suggested_name (self, ATTN_FIGURE_HEATMAP);
  attn_choose_values_file (GTK_WINDOW (self), _("Save Heatmap Values"), figure_name, save_values_chosen_cb,
                           G_OBJECT (self));
}

/* Opening */

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  AttnWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      attn_window_open_files (self, (GFile **) array->pdata, array->len);
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
  attn_native_dialog_refocus_on_response (GTK_NATIVE_DIALOG (dialog));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  attn_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), _("Attention exports (JSON)"),
                                "application/json", "*.json");
  attn_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), _("All files"), NULL, "*");
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  _attn_window_open_file (ATTN_WINDOW (widget), file, TRUE);
}

static void
open_bundled_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  attn_window_open_bundled (ATTN_WINDOW (widget));
}

/* Selection and views */

static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  AttnSession *session = ATTN_WINDOW (widget)->session;

  /* nothing selected: Escape stops the flow of every node asked for */
  if (attn_session_get_selection (session, NULL, NULL, NULL))
    attn_session_clear_selection (session);
  else
    attn_session_stop_every_node (session);
}

static void
compute_flow_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  attn_session_request_every_node (self->session);
  /* the button goes: the keys go to the graph it was on, not nowhere (the
   * first Escape, to stop it, was lost) */
  gtk_widget_grab_focus (GTK_WIDGET (self->graph_view));
}

static void
example_step_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  int next = (int) self->current + g_variant_get_int32 (parameter);

  if (self->entries->len == 0)
    return;
  next = CLAMP (next, 0, (int) self->entries->len - 1);
  if ((guint) next != self->current)
    _attn_window_show_example (self, next);
}

/* win.zoom-in -> view.zoom-in on the view last used */
static void
zoom_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  g_autofree char *name = g_strconcat ("view.", action_name + strlen ("win."), NULL);

  gtk_widget_activate_action (self->zoom_view, name, NULL);
}

/* The zoom buttons' tooltips name the view they act on: they sit in the
 * heatmap's bar, and zoomed the graph */
static void
set_zoom_view (AttnWindow *self,
               GtkWidget  *view)
{
  gboolean heatmap = view == GTK_WIDGET (self->heatmap_view);
  /* the buttons' names, for a screen reader, and their tooltips with keys */
  const char *names[] = {
    heatmap ? _("Zoom the Heatmap Out") : _("Zoom the Graph Out"),
    heatmap ? _("Fit the Heatmap") : _("Fit the Graph"),
    heatmap ? _("Zoom the Heatmap In") : _("Zoom the Graph In"),
  };
  const char *tips[] = {
    heatmap ? _("Zoom the heatmap out (−)") : _("Zoom the graph out (−)"),
    heatmap ? _("Fit the heatmap (Ctrl+0)") : _("Fit the graph (Ctrl+0)"),
    heatmap ? _("Zoom the heatmap in (+)") : _("Zoom the graph in (+)"),
  };
  guint i = 0;

  self->zoom_view = view;
  for (GtkWidget *button = gtk_widget_get_first_child (self->zoom_box); button != NULL && i < G_N_ELEMENTS (tips);
       button = gtk_widget_get_next_sibling (button), i++)
    {
      gtk_widget_set_tooltip_text (button, tips[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, names[i], -1);
    }
}

static void
zoom_view_enter_cb (GtkEventController *controller)
{
  GtkWidget *view = gtk_event_controller_get_widget (controller);

  set_zoom_view (ATTN_WINDOW (gtk_widget_get_root (view)), view);
}

/* The zoom buttons and Ctrl+0 act on the graph view or the heatmap,
 * whichever last had the keyboard focus or the pointer; the graph at first */
void
_attn_window_init_zoom (AttnWindow *self)
{
  GtkWidget *views[] = { GTK_WIDGET (self->graph_view), GTK_WIDGET (self->heatmap_view) };

  set_zoom_view (self, views[0]);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();
      GtkEventController *motion = gtk_event_controller_motion_new ();

      gtk_event_controller_set_name (focus, "attn-zoom-view-focus");
      gtk_event_controller_set_name (motion, "attn-zoom-view-pointer");
      g_signal_connect (focus, "enter", G_CALLBACK (zoom_view_enter_cb), NULL);
      g_signal_connect (motion, "enter", G_CALLBACK (zoom_view_enter_cb), NULL);
      gtk_widget_add_controller (views[i], focus);
      gtk_widget_add_controller (views[i], motion);
    }
}

static void
focus_graph_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GtkWidget *view = GTK_WIDGET (ATTN_WINDOW (widget)->graph_view);

  gtk_widget_grab_focus (view);
  /* its cursor node ringed at once (it showed only after an arrow key) */
  attn_show_keyboard_focus (view);
}

/* The next (@parameter 1) or previous (-1) weight kind the example carries */
static void
weights_step_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  AttnWeightKind shown = attn_graph_settings_get_weights (attn_session_get_settings (self->session));
  int step = g_variant_get_int32 (parameter);

  for (guint i = 0; i < self->n_offered_weights; i++)
    if (self->offered_weights[i] == shown)
      {
        int next = CLAMP ((int) i + step, 0, (int) self->n_offered_weights - 1);

        if ((guint) next != i)
          _attn_window_set_weights (self, self->offered_weights[next]);
        return;
      }
}

static GtkWindow *
compare_window_new (AttnWindow *self)
{
  return attn_compare_window_new (GTK_WINDOW (self), self->documents, self->current,
                                  attn_session_get_method (self->session));
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);

  if (self->entries->len < 2)
    {
      _attn_window_show_toast (self, _("Compare needs two or more examples: open a file with more, or a second file"));
      return;
    }
  _attn_window_present_child (self, ATTN_TYPE_COMPARE_WINDOW, compare_window_new);
}

static GtkWindow *
evaluation_window_new (AttnWindow *self)
{
  return attn_evaluation_window_new (GTK_WINDOW (self), self->documents, attn_session_get_example (self->session));
}

static void
evaluation_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AttnWindow *self = ATTN_WINDOW (widget);
  gboolean have = FALSE;

  for (guint i = 0; i < self->documents->len; i++)
    have |= attn_document_has_references (g_ptr_array_index (self->documents, i));
  /* with a file open, not greyed out in the menu: the menu could not say why */
  if (!have)
    {
      _attn_window_show_toast (self, _("No open file has references to evaluate against: the exporter adds them with --references blankout,gradient"));
      return;
    }
  _attn_window_present_child (self, ATTN_TYPE_EVALUATION_WINDOW, evaluation_window_new);
}

void
_attn_window_class_init_actions (GtkWidgetClass *widget_class)
{
  static const struct
  {
    const char                  *name;
    const char                  *type;
    GtkWidgetActionActivateFunc  activate;
  } actions[] = {
    { "win.open", NULL, open_action },
    { "win.open-recent", "s", open_recent_action },
    { "win.open-bundled", NULL, open_bundled_action },
    { "win.save", NULL, save_action },
    { "win.save-as", NULL, save_as_action },
    { "win.save-all", NULL, save_all_action },
    { "win.save-heatmap", NULL, save_heatmap_action },
    { "win.cancel-save-all", NULL, cancel_save_all_action },
    { "win.copy-command", NULL, copy_command_action },
    { "win.copy-values", NULL, copy_values_action },
    { "win.save-values", NULL, save_values_action },
    { "win.compare", NULL, compare_action },
    { "win.evaluation", NULL, evaluation_action },
    { "win.clear-selection", NULL, clear_selection_action },
    { "win.compute-flow", NULL, compute_flow_action },
    { "win.example-step", "i", example_step_action },
    { "win.weights-step", "i", weights_step_action },
    { "win.zoom-in", NULL, zoom_view_action },
    { "win.zoom-out", NULL, zoom_view_action },
    { "win.zoom-fit", NULL, zoom_view_action },
    { "win.focus-graph", NULL, focus_graph_action },
  };
  static const struct
  {
    guint            key;
    GdkModifierType  mods;
    const char      *action;
    const char      *view;
  } keys[] = {
    { GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL },
    { GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL },
    { GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-as", NULL },
    { GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-all", NULL },
    { GDK_KEY_h, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.save-heatmap", NULL },
    { GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.copy-command", NULL },
    { GDK_KEY_c, GDK_CONTROL_MASK, "win.copy-values", NULL },
    { GDK_KEY_m, GDK_CONTROL_MASK, "win.compare", NULL },
    { GDK_KEY_e, GDK_CONTROL_MASK, "win.evaluation", NULL },
    { GDK_KEY_Escape, 0, "win.clear-selection", NULL },
    { GDK_KEY_1, GDK_CONTROL_MASK, "win.view", "raw" },
    { GDK_KEY_2, GDK_CONTROL_MASK, "win.view", "rollout" },
    { GDK_KEY_3, GDK_CONTROL_MASK, "win.view", "flow" },
    { GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL },
    { GDK_KEY_g, GDK_CONTROL_MASK, "win.focus-graph", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i].name, actions[i].type,
                                     actions[i].activate);
  gtk_widget_class_install_property_action (widget_class, "win.view", "view");
  gtk_widget_class_install_property_action (widget_class, "win.weights", "weights");

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].view != NULL)
      gtk_widget_class_add_binding_action (widget_class, keys[i].key, keys[i].mods, keys[i].action,
                                           "s", keys[i].view);
    else
      gtk_widget_class_add_binding_action (widget_class, keys[i].key, keys[i].mods, keys[i].action,
                                           NULL);
}

/* Activates the step action named in @args, if enabled, and takes the key
 * either way: at a file's only example it went on to a spin button */
static gboolean
step_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  const char *action;
  int step;

  g_variant_get (args, "(&si)", &action, &step);
  gtk_widget_activate_action (widget, action, "i", step);
  return TRUE;
}

/**
 * _attn_window_init_step_keys:
 *
 * Ctrl+Page Down and Up step through the examples, with Shift through the
 * weight kinds, before the focused widget sees the keys: a spin button of
 * the side panel, focused by a click on its + or −, took them as "to the
 * end of the range" (α went to 0 or 1, the first layer to the last) and the
 * example stayed. They are the window's whether or not there is another
 * example or weight kind to step to. So is Ctrl+Shift+A (Save Figures of
 * All Examples), which a text field binds too.
 */
void
_attn_window_init_step_keys (AttnWindow *self)
{
  static const struct
  {
    guint            key;
    GdkModifierType  mods;
    const char      *action;
    int              step;
  } keys[] = {
    { GDK_KEY_Page_Down, GDK_CONTROL_MASK, "win.example-step", 1 },
    { GDK_KEY_Page_Up, GDK_CONTROL_MASK, "win.example-step", -1 },
    { GDK_KEY_Page_Down, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.weights-step", 1 },
    { GDK_KEY_Page_Up, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.weights-step", -1 },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                                                gtk_callback_action_new (step_key_cb, NULL, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new ("(si)", keys[i].action, keys[i].step));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  /* a text field's own binding of it (select none) took it, and Save
   * Figures of All Examples did nothing there */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK |
                                                                                  GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("win.save-all")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
