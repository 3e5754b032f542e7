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

/* The heatmap panel: a figure of the session's values, built off the main thread */

/* The methods of a heatmap: one, or ATTN_N_METHODS for all three */
static int
heatmap_methods (gboolean   all_methods,
                 AttnMethod method)
{
  return all_methods ? ATTN_N_METHODS : (int) method;
}

/* While the values of the node now selected, or of the method now chosen,
 * are computed, the heatmap before stays, dimmed (style.css) */
void
_attn_window_update_heatmap_stale (AttnWindow *self)
{
  int methods = heatmap_methods (attn_session_get_all_methods (self->session),
                                 attn_session_get_method (self->session));
  gboolean stale = attn_figure_view_get_figure (self->heatmap_view) != NULL &&
                   (attn_session_get_busy (self->session) || self->heatmap_cancellable != NULL) &&
                   (self->heatmap_position != (int) attn_session_get_heat_position (self->session) ||
                    self->heatmap_methods != methods);

  if (stale)
    gtk_widget_add_css_class (GTK_WIDGET (self->heatmap_view), "stale");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->heatmap_view), "stale");
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
      self->heatmap_position = self->heatmap_building;
      self->heatmap_methods = self->heatmap_building_methods;
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

  *input = (AttnFigureInput) { attn_session_get_example (self->session), _attn_window_get_path (self),
                               attn_session_get_graph (self->session), { NULL, }, { NULL, } };
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
    {
      attn_figure_view_set_message (self->heatmap_view, error);
      return;
    }
  /* until the values come, the figure before */
  if (!_attn_window_get_heatmap_request (self, &input, &settings))
    return;

  attn_graph_view_get_style (self->graph_view, &style);
  self->heatmap_building = settings.position;
  self->heatmap_building_methods = heatmap_methods (settings.all_methods, settings.method);
  self->heatmap_cancellable = g_cancellable_new ();
  attn_figure_view_build_async (self->heatmap_view, &input, 1, &settings, &style, self->heatmap_cancellable,
                                heatmap_built_cb, g_object_ref (self));
}
