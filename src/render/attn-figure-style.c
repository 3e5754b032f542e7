/* attn-figure-style.c: colours, fonts and decluttering settings of a figure: the defaults
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-figure-style.h"

/**
 * attn_figure_style_init:
 * @dark: dark background (the app's dark mode) or light (print, the CLI)
 *
 * Fills @style with the defaults: near-black on white with the "ink" map
 * (light), or light grey on a dark grey with "viridis" (dark); 13 px Sans;
 * threshold 0; top-k 0 (every edge: the alpha ramp keeps weak edges faint);
 * special tokens on the scale (unless they hold most of the mass); each
 * layer of a graph to its own maximum.
 */
void
attn_figure_style_init (AttnFigureStyle *style,
                        gboolean         dark)
{
  g_return_if_fail (style != NULL);

  if (dark)
    {
      style->foreground = (AttnRgba) { 0.92f, 0.92f, 0.92f, 1.f };
      style->background = (AttnRgba) { 0.14f, 0.14f, 0.15f, 1.f };
      style->accent = (AttnRgba) { 1.f, 0.64f, 0.28f, 1.f };
      style->muted = (AttnRgba) { 0.55f, 0.55f, 0.57f, 1.f };
      style->highlight = (AttnRgba) { 1.f, 0.42f, 0.78f, 1.f };
      style->colormap = attn_colormap_from_name ("viridis");
    }
  else
    {
      style->foreground = (AttnRgba) { 0.12f, 0.12f, 0.13f, 1.f };
      style->background = (AttnRgba) { 1.f, 1.f, 1.f, 1.f };
      style->accent = (AttnRgba) { 0.85f, 0.37f, 0.01f, 1.f };
      style->muted = (AttnRgba) { 0.6f, 0.6f, 0.62f, 1.f };
      style->highlight = (AttnRgba) { 0.78f, 0.08f, 0.52f, 1.f };
      style->colormap = attn_colormap_from_name ("ink");
    }

  style->font_family = "Sans";
  style->font_size = 13.;
  style->threshold = 0.;
  style->top_k = 0;
  style->exclude_special = FALSE;
  style->color_scale = ATTN_COLOR_SCALE_PER_LAYER;
  style->show_values = FALSE;
  style->dark = dark;
}
