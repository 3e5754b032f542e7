/* attn-window-heatmap.c: the main window's heatmap panel
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A figure of the session's heatmap values, built off the main thread and
 * drawn by the panel's AttnFigureView.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-window-private.h"

/* What a heatmap is of: the example, the methods (or weight kinds), the
 * graph's settings, the layers shown and the position; not its colours, nor
 * how many of flow's layers are done */
char *
_attn_window_heatmap_key (AttnWindow               *self,
                          const AttnFigureSettings *settings)
{
  AttnExample *example = attn_session_get_example (self->session);
  const char *path = _attn_window_get_path (self);

  return g_strdup_printf ("%p %s %s|%d %d %u %x|%.17g %d %s|%u-%u|%d", (void *) example, path ? path : "",
                          example != NULL ? attn_example_get_id (example) : "", settings->all_methods,
                          settings->method, settings->weights, settings->weight_kinds, settings->residual,
                          settings->head_mix, settings->heads ? settings->heads : "", settings->first_layer,
                          settings->last_layer, settings->position);
}

/* While the values of the method, settings or node now chosen are computed
 * (or their figure built), the heatmap on screen, if any, is not what the
 * panel is to show; TRUE then, with the settings of the one to come */
gboolean
_attn_window_heatmap_is_coming (AttnWindow         *self,
                                AttnFigureSettings *coming)
{
  g_autofree char *key = NULL;

  _attn_window_fill_heatmap_settings (self, coming);
  if (!attn_session_get_busy (self->session) && self->heatmap_cancellable == NULL)
    return FALSE;
  key = _attn_window_heatmap_key (self, coming);
  return attn_figure_view_get_figure (self->heatmap_view) == NULL || g_strcmp0 (key, self->heatmap_key) != 0;
}

/* What the panel says it is computing */
static const char *
pending_text (const AttnFigureSettings *settings)
{
  if (settings->all_methods)
    return _("Computing the heatmaps of the three methods…");
  switch (settings->method)
    {
    case ATTN_METHOD_RAW:
      return _("Computing the raw attention heatmap…");
    case ATTN_METHOD_ROLLOUT:
      return _("Computing the attention rollout heatmap…");
    case ATTN_METHOD_FLOW:
    default:
      return _("Computing the attention flow heatmap…");
    }
}

/* While the heatmap shown is out of date, it stays, dimmed, under what is
 * coming (style.css), as the graph draws the layers not computed yet in a
 * faint band; as it was once the new one is drawn */
void
_attn_window_update_heatmap_stale (AttnWindow *self)
{
  AttnFigureSettings coming;
  gboolean stale = attn_figure_view_get_figure (self->heatmap_view) != NULL &&
                   _attn_window_heatmap_is_coming (self, &coming);

  /* the words fade in with the dimming, by the same transition (style.css),
   * so that quick changes do not flicker; the label stays, empty, between */
  gtk_label_set_text (self->heatmap_pending, stale ? pending_text (&coming) : "");
  if (stale)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->heatmap_view), "stale");
      gtk_widget_add_css_class (GTK_WIDGET (self->heatmap_pending), "stale");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->heatmap_view), "stale");
      gtk_widget_remove_css_class (GTK_WIDGET (self->heatmap_pending), "stale");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->heatmap_view), GTK_ACCESSIBLE_STATE_BUSY, stale, -1);
}

static void
heatmap_built_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AttnWindow) self = user_data;

  if (attn_figure_view_finish_build (self->heatmap_view, result, self->heatmap_cancellable, NULL))
    {
      g_clear_object (&self->heatmap_cancellable);
      g_free (self->heatmap_key);
      self->heatmap_key = g_steal_pointer (&self->heatmap_building_key);
      _attn_window_update_heatmap_stale (self);
    }
}

/* Flow's heatmap while it is computed: the layers done so far, bottom up,
 * of every method shown */
static gboolean
partial_heatmap (AttnWindow         *self,
                 AttnFigureInput    *input,
                 AttnFigureSettings *settings)
{
  const double *values[ATTN_N_METHODS] = { NULL, };
  guint done, L, position;

  if (input->example == NULL || input->graph == NULL || settings->weight_kinds != 0 ||
      (settings->method != ATTN_METHOD_FLOW && !settings->all_methods))
    return FALSE;
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    if ((settings->all_methods || m == ATTN_METHOD_FLOW) &&
        (values[m] = attn_session_get_heatmap_partial (self->session, m, &done, &position)) == NULL)
      return FALSE;
  L = attn_example_get_n_layers (input->example);
  if (MAX (settings->first_layer, 1) > done)
    return FALSE;
  for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
    if (values[m] != NULL)
      input->values[m] = values[m];
  /* the position they are of: the heatmap's before are of another */
  settings->position = position;
  /* the rows up to the last done, the caption says how far it has got */
  settings->layers_done = MIN (settings->last_layer > 0 ? settings->last_layer : L, done);
  return TRUE;
}

/* What the heatmap panel shows: flow's layers done while it is computed
 * (of the node selected last: they take the place of the heatmap before),
 * else the session's values of the methods (or weights) shown with the
 * window's settings; FALSE until there are values to show */
gboolean
_attn_window_get_heatmap_request (AttnWindow         *self,
                                  AttnFigureInput    *input,
                                  AttnFigureSettings *settings)
{
  gboolean have;
  guint kinds;

  _attn_window_fill_input (self, input);
  _attn_window_fill_figure_settings (self, ATTN_FIGURE_HEATMAP, settings);
  have = input->example != NULL && input->graph != NULL;
  kinds = settings->weight_kinds;
  for (guint m = 0; m < ATTN_N_METHODS; m++)
    {
      input->values[m] = attn_session_get_heatmap (self->session, m);
      if (settings->all_methods || (m == settings->method && kinds == 0))
        have &= input->values[m] != NULL;
    }
  /* one method under several weight kinds */
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (kinds & (1u << k))
      {
        input->weight_values[k] = attn_session_get_heatmap_for_weights (self->session, k);
        have &= input->weight_values[k] != NULL;
      }
  return partial_heatmap (self, input, settings) || have;
}

void
_attn_window_update_heatmap (AttnWindow *self)
{
  AttnFigureSettings settings;
  AttnFigureStyle style;
  AttnFigureInput input;
  const char *error = attn_session_get_heatmap_error (self->session);

  attn_cancel_and_clear (&self->heatmap_cancellable);
  if (error != NULL)
    attn_figure_view_set_message (self->heatmap_view, error);
  /* until the values come, the figure before */
  if (error == NULL && _attn_window_get_heatmap_request (self, &input, &settings))
    {
      attn_graph_view_get_style (self->graph_view, &style);
      g_free (self->heatmap_building_key);
      self->heatmap_building_key = _attn_window_heatmap_key (self, &settings);
      self->heatmap_cancellable = g_cancellable_new ();
      attn_figure_view_build_async (self->heatmap_view, &input, 1, &settings, &style, self->heatmap_cancellable,
                                    heatmap_built_cb, g_object_ref (self));
    }
  _attn_window_update_heatmap_stale (self);
}

/* The status line and the heatmap's controls (ui/attn-window.ui): side by
 * side while the line has at least the controls' width beside them, else
 * the line on a row of its own, the whole width, and the controls under it
 * at the end. Whether they are side by side depends on the width alone, not
 * on the text: a new text never moves the heatmap. */

/* the space between the line and the controls beside them; half of it
 * between the line and the controls under it */
#define STATUS_ROW_SPACING 12

/* Whether the row, @width wide, holds its two children side by side; the
 * controls' width */
static gboolean
status_row_side_by_side (GtkWidget *row,
                         int        width,
                         int       *controls)
{
  GtkWidget *last = gtk_widget_get_last_child (row);

  gtk_widget_measure (last, GTK_ORIENTATION_HORIZONTAL, -1, NULL, controls, NULL, NULL);
  return width < 0 || width - *controls - STATUS_ROW_SPACING >= *controls;
}

static GtkSizeRequestMode
status_row_request_mode (GtkWidget *row)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
status_row_measure (GtkWidget      *row,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  GtkWidget *line = gtk_widget_get_first_child (row);
  GtkWidget *controls = gtk_widget_get_last_child (row);
  int controls_width, spacing = STATUS_ROW_SPACING, line_min, line_nat, min, nat;
  gboolean side;

  side = status_row_side_by_side (row, for_size, &controls_width);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (line, orientation, -1, &line_min, &line_nat, NULL, NULL);
      gtk_widget_measure (controls, orientation, -1, &min, &nat, NULL, NULL);
      /* narrow, one above the other */
      *minimum = MAX (line_min, min);
      *natural = line_nat + spacing + nat;
      return;
    }
  gtk_widget_measure (controls, orientation, -1, &min, &nat, NULL, NULL);
  gtk_widget_measure (line, orientation, side && for_size >= 0 ? for_size - controls_width - spacing : for_size,
                      &line_min, &line_nat, NULL, NULL);
  *minimum = side ? MAX (line_min, min) : line_min + spacing / 2 + min;
  *natural = side ? MAX (line_nat, nat) : line_nat + spacing / 2 + nat;
}

static void
status_row_allocate (GtkWidget *row,
                     int        width,
                     int        height,
                     int        baseline)
{
  GtkWidget *line = gtk_widget_get_first_child (row);
  GtkWidget *controls = gtk_widget_get_last_child (row);
  int controls_width, spacing = STATUS_ROW_SPACING, line_height;

  if (status_row_side_by_side (row, width, &controls_width))
    {
      gtk_widget_size_allocate (line, &(GtkAllocation) { 0, 0, width - controls_width - spacing, height }, -1);
      gtk_widget_size_allocate (controls, &(GtkAllocation) { width - controls_width, 0, controls_width, height }, -1);
      return;
    }
  gtk_widget_measure (line, GTK_ORIENTATION_VERTICAL, width, NULL, &line_height, NULL, NULL);
  controls_width = MIN (controls_width, width);
  gtk_widget_size_allocate (line, &(GtkAllocation) { 0, 0, width, line_height }, -1);
  gtk_widget_size_allocate (controls, &(GtkAllocation) { width - controls_width, line_height + spacing / 2,
                                                         controls_width,
                                                         MAX (height - line_height - spacing / 2, 0) }, -1);
}

/**
 * _attn_window_init_status_row:
 * @self: the window
 *
 * Lays the status line and the heatmap's controls out side by side when
 * there is room, one above the other when not.
 */
void
_attn_window_init_status_row (AttnWindow *self)
{
  gtk_widget_set_layout_manager (self->status_row,
                                 gtk_custom_layout_new (status_row_request_mode, status_row_measure,
                                                        status_row_allocate));
}
