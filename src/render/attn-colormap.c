/* attn-colormap.c: perceptually uniform, colour-blind safe colour maps
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "attn-colormap.h"
#include "attn-keyword.h"
#include "attn-render-private.h"
#include "attn-colormap-tables.h"

struct _AttnColormap
{
  const char *name;
  const float (*table)[3];
  gboolean diverging;
  /* the part of the map the graph runs over, from its weakest colour to
   * its strongest, on a light and on a dark background (see
   * attn_colormap_get_graph_range()) */
  float light[2];
  float dark[2];
  /* on a dark background every figure runs the map from its strong end
   * (see attn_colormap_get_heatmap_range()) */
  gboolean dark_reversed;
};

static const AttnColormap maps[] = {
  { "viridis", viridis_table, FALSE, { 0.f, 1.f }, { .3f, 1.f } },
  { "cividis", cividis_table, FALSE, { 0.f, 1.f }, { .3f, 1.f } },
  /* magma's top is cream, nearly white */
  { "magma", magma_table, FALSE, { 0.f, .8f }, { .3f, 1.f } },
  /* ink runs from paper white: on a dark background, white would be the
   * weakest value and stand out most (zeros as white nodes, a heatmap a
   * white block), so there it runs from deep blue to white, the graph
   * from a blue that shows on the background */
  { "ink", ink_table, FALSE, { 0.f, 1.f }, { .8f, 0.f }, TRUE },
  { "diverging", diverging_table, TRUE, { 0.f, 1.f }, { .3f, 1.f } },
};

/* in the order of maps */
static const char * const names[] = { "viridis", "cividis", "magma", "ink", "diverging", NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (maps) + 1);

/**
 * attn_colormap_from_name:
 * @name: "viridis", "cividis", "magma", "ink" or "diverging", in any case
 *   (attn_keyword_find())
 *
 * Returns: (nullable) (transfer none): the map, or %NULL for an unknown name
 */
const AttnColormap *
attn_colormap_from_name (const char *name)
{
  int i;

  g_return_val_if_fail (name != NULL, NULL);

  i = attn_keyword_find (name, names, -1);
  return i >= 0 ? &maps[i] : NULL;
}

/**
 * attn_colormap_get_default:
 *
 * Returns: (transfer none): viridis
 */
const AttnColormap *
attn_colormap_get_default (void)
{
  return &maps[0];
}

/**
 * attn_colormap_get_diverging:
 *
 * Returns: (transfer none): the diverging map used for difference heatmaps
 */
const AttnColormap *
attn_colormap_get_diverging (void)
{
  return &maps[G_N_ELEMENTS (maps) - 1];
}

const char *
attn_colormap_get_name (const AttnColormap *map)
{
  g_return_val_if_fail (map != NULL, NULL);

  return map->name;
}

/**
 * attn_colormap_list_names:
 *
 * Returns: (transfer none): the %NULL-terminated list of map names
 */
const char * const *
attn_colormap_list_names (void)
{
  return names;
}

gboolean
attn_colormap_is_diverging (const AttnColormap *map)
{
  g_return_val_if_fail (map != NULL, FALSE);

  return map->diverging;
}

/**
 * attn_colormap_get_heatmap_range:
 * @map: the map
 * @dark: whether the background is dark
 * @weakest: (out): the map position of a heatmap's weakest colour (0)
 * @strongest: (out): that of its strongest
 *
 * Heatmap cells, colour bars and coloured sentences run the whole map:
 * from 0 to 1, but ink on a dark background from 1 (deep blue, near the
 * background) to 0 (white), so that what is strong stands out.
 */
void
attn_colormap_get_heatmap_range (const AttnColormap *map,
                                 gboolean            dark,
                                 double             *weakest,
                                 double             *strongest)
{
  g_return_if_fail (map != NULL);

  *weakest = dark && map->dark_reversed ? 1. : 0.;
  *strongest = 1. - *weakest;
}

/**
 * attn_colormap_get_graph_range:
 * @map: the map
 * @dark: whether the background is dark
 * @weakest: (out): the map position of the graph's weakest colour
 * @strongest: (out): that of its strongest
 *
 * The graph draws n² translucent edges over its background, so its
 * strongest colour must stand out from it: on a dark background it leaves
 * out the dark low end of viridis, cividis and magma and ink's deepest
 * blue; on white, magma's light top fifth. Each map runs the way the
 * heatmap's does (attn_colormap_get_heatmap_range()).
 */
void
attn_colormap_get_graph_range (const AttnColormap *map,
                               gboolean            dark,
                               double             *weakest,
                               double             *strongest)
{
  const float *range;

  g_return_if_fail (map != NULL);

  range = dark ? map->dark : map->light;
  *weakest = range[0];
  *strongest = range[1];
}

/**
 * attn_colormap_lookup:
 * @t: position in [0, 1] (clamped; NaN gives 0)
 *
 * Linear interpolation between the map's 256 entries.
 */
void
attn_colormap_lookup (const AttnColormap *map,
                      double              t,
                      double             *red,
                      double             *green,
                      double             *blue)
{
  double f;
  guint i;

  g_return_if_fail (map != NULL);

  if (!(t > 0.))
    t = 0.;
  if (t > 1.)
    t = 1.;

  f = t * 255.;
  i = (guint) f;
  if (i >= 255)
    i = 254;
  f -= i;

  *red = map->table[i][0] + f * (map->table[i + 1][0] - map->table[i][0]);
  *green = map->table[i][1] + f * (map->table[i + 1][1] - map->table[i][1]);
  *blue = map->table[i][2] + f * (map->table[i + 1][2] - map->table[i][2]);
}

/**
 * attn_colormap_lookup_rgb24:
 *
 * Returns: the colour as 0x00RRGGBB
 */
guint32
attn_colormap_lookup_rgb24 (const AttnColormap *map,
                            double              t)
{
  double r, g, b;

  attn_colormap_lookup (map, t, &r, &g, &b);

  return ((guint32) lround (r * 255.) << 16) | ((guint32) lround (g * 255.) << 8)
         | (guint32) lround (b * 255.);
}

/**
 * attn_colormap_lightness:
 *
 * Returns: the relative luminance (sRGB, Rec. 709 weights) of the colour at
 *   @t, in [0, 1]: used to pick a legible text colour over a cell
 */
double
attn_colormap_lightness (const AttnColormap *map,
                         double              t)
{
  double r, g, b;

  attn_colormap_lookup (map, t, &r, &g, &b);

  return _attn_relative_luminance (r, g, b);
}
