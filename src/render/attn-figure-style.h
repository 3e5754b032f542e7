/* attn-figure-style.h: colours, fonts and decluttering settings of a figure
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <pango/pango.h>

#include "attn-colormap.h"

G_BEGIN_DECLS

/**
 * AttnColorScale:
 * @ATTN_COLOR_SCALE_PER_LAYER: each layer's edges (and nodes) to their own
 *   maximum: every layer shows its structure, whatever its share of the total
 * @ATTN_COLOR_SCALE_GLOBAL: one range for the whole graph: layers compare
 *
 * How the values of a graph map to colours.
 */
typedef enum
{
  ATTN_COLOR_SCALE_PER_LAYER,
  ATTN_COLOR_SCALE_GLOBAL,
} AttnColorScale;

/**
 * AttnRgba:
 *
 * A colour with components in [0, 1]. Same layout as GdkRGBA (four floats),
 * so the application may copy a GdkRGBA into it with memcpy.
 */
typedef struct
{
  float red;
  float green;
  float blue;
  float alpha;
} AttnRgba;

/**
 * AttnFigureStyle:
 * @foreground: text, axes, node outlines
 * @background: figure background (alpha 0 gives a transparent figure)
 * @accent: selected node and sink highlight
 * @muted: secondary text, pending (not yet computed) layers
 * @highlight: the candidate antecedents of a pronoun (an example's
 *   `antecedents`): their input nodes, heatmap columns and token labels
 * @font_family: (not owned): Pango family name, e.g. "Sans"; must outlive
 *   every use of the style
 * @font_size: base font size in pixels at 1x
 * @colormap: map for edges, nodes and heatmap cells
 * @threshold: edges whose value / scale max is below this fraction are not
 *   drawn (0 draws every edge that is visible, alpha ≥ 1/255)
 * @top_k: per source node, draw only its @top_k strongest edges (0 = all)
 * @exclude_special: leave special tokens ([CLS], [SEP], punctuation...) and
 *   the selected token out of the colour scale (they saturate instead)
 * @color_scale: graphs: each layer to its own maximum, or one range
 * @show_values: print the value in every heatmap cell
 * @dark: the background is dark; affects nothing but the defaults chosen by
 *   attn_figure_style_init()
 *
 * Plain data, copied freely. Fill it with attn_figure_style_init() and
 * change the fields you need.
 */
typedef struct
{
  AttnRgba            foreground;
  AttnRgba            background;
  AttnRgba            accent;
  AttnRgba            muted;
  AttnRgba            highlight;
  const char         *font_family;
  double              font_size;
  const AttnColormap *colormap;
  double              threshold;
  guint               top_k;
  gboolean            exclude_special;
  AttnColorScale      color_scale;
  gboolean            show_values;
  gboolean            dark;
} AttnFigureStyle;

void attn_figure_style_init (AttnFigureStyle *style,
                             gboolean         dark);

/* The most characters of a token the status line and a figure at its natural
 * size show, an ellipsis after them: real tokens are far shorter, and a
 * token of 5000 characters (a file's mistake) would make the figure as high */
#define ATTN_TOKEN_WHOLE_MAX_CHARS 100

char           *attn_text_from_file       (const char  *text);
char           *attn_text_from_file_name  (const char  *name);
char           *attn_token_display        (const char  *token);
char           *attn_token_display_whole  (const char  *token);
char           *attn_token_display_up_to  (const char  *token,
                                           glong        max_chars);
PangoAttrList  *attn_text_word_breaks_new (const char  *text,
                                          PangoLayout *layout,
                                          double       wrap_width);
PangoAttrList  *attn_text_keep_together   (PangoAttrList *attrs,
                                          gsize          start,
                                          gsize          end);

G_END_DECLS
