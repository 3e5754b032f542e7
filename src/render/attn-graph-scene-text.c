/* attn-graph-scene-text.c: the texts of a scene built from a trace
 *
 * Its title ("Attention flow from “[CLS]” (layer 12, position 0)"), its
 * colour bar's label, and the titles and labels a click or another method
 * may bring, which a view keeps room for (attn_graph_scene_get_room()).
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "attn-graph-scene-private.h"
#include "attn-render-private.h"

/* The title: the method ("Attention flow (ALTI)" over other weights than
 * the attention), the node selected (@raw_token %NULL: none) and its sink,
 * and the layers drawn when they are not all of them. The tokens are shown
 * as the labels show them, long ones shortened: a token of 5000 characters
 * took the whole figure's height (and the room kept for it on screen) */
static char *
format_title (AttnMethod      method,
              AttnWeightKind  weights,
              const char     *raw_token,
              guint           layer,
              guint           position,
              const char     *raw_sink,
              guint           first,
              guint           last,
              guint           n_layers)
{
  g_autofree char *label = attn_method_dup_label (method, weights);
  g_autofree char *what = NULL;
  g_autofree char *token = raw_token ? attn_token_display (raw_token) : NULL;
  g_autofree char *sink = raw_sink ? attn_token_display (raw_sink) : NULL;

  if (token == NULL)
    what = g_strdup (label);
  else if (sink != NULL)
    /* translators: method, token, layer, position, input token */
    what = g_strdup_printf (_("%s from “%s” (layer %u, position %u) to “%s”"), label, token, layer, position,
                            sink);
  else
    /* translators: method, token, layer, position */
    what = g_strdup_printf (_("%s from “%s” (layer %u, position %u)"), label, token, layer, position);
  if (first == 1 && last == n_layers)
    return g_steal_pointer (&what);
  if (first == last)
    /* translators: the figure's title, then the one layer it draws */
    return g_strdup_printf (_("%s · layer %u shown"), what, first);
  /* translators: the figure's title, then the layers it draws */
  return g_strdup_printf (_("%s · layers %u–%u shown"), what, first, last);
}

/* The title of a scene of @trace drawing layers @first to @last */
char *
_attn_scene_title (AttnTrace      *trace,
                   AttnExample    *example,
                   AttnWeightKind  weights,
                   guint           first,
                   guint           last)
{
  guint layer, position;
  int sink;

  if (!attn_trace_get_selection (trace, &layer, &position, &sink))
    return format_title (attn_trace_get_method (trace), weights, NULL, 0, 0, NULL, first, last,
                         attn_trace_get_n_layers (trace));
  return format_title (attn_trace_get_method (trace), weights, attn_example_get_token (example, position),
                       layer, position, sink >= 0 ? attn_example_get_token (example, sink) : NULL,
                       first, last, attn_trace_get_n_layers (trace));
}

/* What a scene's values are: the colour bar's label without its range */
static const char *
value_label (AttnMethod      method,
             AttnWeightKind  weights,
             gboolean        clicked,
             int             sink)
{
  switch (method)
    {
    case ATTN_METHOD_RAW:
      /* translators: the colour scale of raw contributions (norm, GlobEnc, ALTI, …), row-normalised */
      return weights == ATTN_WEIGHT_KIND_ATTENTION ? _("Attention weight") : _("Contribution");
    case ATTN_METHOD_ROLLOUT:
      return clicked ? _("Share of path weight") : _("Rollout importance");
    case ATTN_METHOD_FLOW:
      return clicked ? (sink >= 0 ? _("Edge flow") : _("Share of flow")) : _("Flow importance");
    case ATTN_N_METHODS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The colour bar label's line that says which tokens saturate */
static const char *
saturated_line (gboolean selected)
{
  return selected ? _("special and selected tokens saturate") : _("special tokens saturate");
}

/* The colour bar label's line that says what the dashed nodes are */
static const char *
hollow_line (void)
{
  /* translators: the graph's legend: nodes drawn as a dashed ring, with no
   * fill, have no value (a node of value 0 takes the colour bar's low end) */
  return _("dashed nodes: no value");
}

/* The colour bar's label: what the values are (@what), how they map to
 * colours, which tokens saturate (@second, nullable), and whether some nodes
 * are drawn hollow, with no value (@hollow); on one range after a click, the
 * bar's two scales, the nodes' own on its left and the edges' on its right,
 * are named under it (attn-graph-layout.c) */
static char *
scale_label (AttnColorScale  scale,
             const char     *what,
             const char     *second,
             gboolean        hollow)
{
  GString *label = g_string_new (NULL);

  if (scale == ATTN_COLOR_SCALE_PER_LAYER)
    /* translators: the colour bar's label: what the values are, e.g. “Share of flow” */
    g_string_append_printf (label, _("%s (per layer)"), what);
  else
    g_string_append (label, what);
  if (second != NULL)
    g_string_append_printf (label, "\n%s", second);
  if (hollow)
    g_string_append_printf (label, "\n%s", hollow_line ());
  return g_string_free (label, FALSE);
}

/* The colour bar's label of a scene of @trace, on @scale; @excluded: the
 * special tokens (and the selected one) saturate; @hollow: some nodes drawn
 * have no value */
char *
_attn_scene_scale_label (AttnTrace      *trace,
                         AttnWeightKind  weights,
                         AttnColorScale  scale,
                         gboolean        excluded,
                         gboolean        hollow)
{
  int sink = -1;
  gboolean clicked = attn_trace_get_selection (trace, NULL, NULL, &sink);
  AttnMethod method = attn_trace_get_method (trace);

  return scale_label (scale, value_label (method, weights, clicked, sink),
                      excluded ? saturated_line (clicked) : NULL, hollow);
}

/* The titles a click, another method or other weights may bring: of every
 * method under @weights and every kind the example carries (its nodes moved
 * when the weights changed: "(ALTI)" wrapped a title), on the example's
 * longest token, with a sink and without (%NULL-terminated) */
char **
_attn_scene_title_room (AttnWeightKind  weights,
                        AttnExample    *example,
                        guint           first,
                        guint           last)
{
  guint n = attn_example_get_n_tokens (example), L = attn_example_get_n_layers (example), i = 0;
  const char *token = attn_example_get_token (example, _attn_longest_token (example));
  char **titles = g_new0 (char *, 2 * ATTN_N_METHODS * ATTN_N_WEIGHT_KINDS + 1);

  for (AttnWeightKind k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    {
      if (k != weights && !attn_example_has_weights (example, k))
        continue;
      for (AttnMethod m = 0; m < ATTN_N_METHODS; m++)
        for (int sink = 0; sink <= 1; sink++)
          titles[i++] = format_title (m, k, token, L, n - 1, sink ? token : NULL, first, last, L);
    }
  return titles;
}

/* Every colour bar label of every method, with a click or without (the
 * nodes' range up to WIDEST_NODE_MAX), its special tokens saturated and its
 * dashed nodes named,
 * @method's first (_ATTN_SCENE_SCALE_ROOM_OWN of
 * them; %NULL-terminated) */
char **
_attn_scene_scale_room (AttnMethod     method,
                        AttnWeightKind weights,
                        AttnColorScale scale)
{
  char **labels = g_new0 (char *, _ATTN_SCENE_SCALE_ROOM_OWN * ATTN_N_METHODS + 1);
  guint i = 0;

  for (guint k = 0; k < ATTN_N_METHODS; k++)
    {
      AttnMethod m = (method + k) % ATTN_N_METHODS;

      labels[i++] = scale_label (scale, value_label (m, weights, FALSE, -1), saturated_line (FALSE), TRUE);
      labels[i++] = scale_label (scale, value_label (m, weights, TRUE, -1), saturated_line (TRUE), TRUE);
      labels[i++] = scale_label (scale, value_label (m, weights, TRUE, 0), saturated_line (TRUE), TRUE);
    }
  return labels;
}
