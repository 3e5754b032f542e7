/* attn-figure-heatmap-private.h: what the heatmap and compare figures'
 * files share (attn-figure-heatmap.c lays the figure out, its antecedent
 * section in attn-figure-antecedents.c)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-figure-private.h"

G_BEGIN_DECLS

/* An example has a block per method, or per weight kind */
#define MAX_BLOCKS ATTN_N_WEIGHT_KINDS
G_STATIC_ASSERT ((int) ATTN_N_WEIGHT_KINDS >= (int) ATTN_N_METHODS);

/* A heatmap or compare figure being built */
typedef struct
{
  Builder                   b;
  const AttnFigureInput    *inputs;
  guint                     n_inputs;
  const AttnFigureSettings *settings;
  /* the blocks of each example: a method (all three), or a weight kind each */
  AttnMethod                methods[MAX_BLOCKS];
  AttnWeightKind            kinds[MAX_BLOCKS];
  guint                     n_methods;
  gboolean                  by_kind;
  guint                     first;
  guint                     last;
  gboolean                  compare;
  gboolean                  have_predictions;
  gboolean                  difference;
  GPtrArray                *values;      /* [example][block], L * n each */
  double                    vmax[MAX_BLOCKS];       /* each block's colour scale */
  const double             *ticks_w;     /* each block's colour bar's tick labels' room in a panel */
  double                    name_w[MAX_BLOCKS];     /* ...and for its name (0: a line's, not in a panel) */
  double                    width;       /* the figure's */
  const HeatmapFit         *fit;         /* laid out at a size, or NULL */
  double                    side_w;      /* the side column's width, or 0 */
  double                    blocks_w;    /* the width the blocks need */
  guint                     ante_line;   /* the antecedent section's examples a line */
  const char               *title;       /* in the side column, or NULL */
  const char               *caption;     /* in the side column, or NULL */
  gboolean                  sentence;    /* the coloured sentence shown */
  gboolean                  saturated[MAX_BLOCKS];  /* @vmax leaves the own positions out */
  gboolean                  untitled;    /* laid out without its title */
} Heatmap;

/* attn-figure-heatmap.c */
char       *_attn_heatmap_input_name          (const Heatmap *h,
                                               guint          e);
void        _attn_heatmap_name_block_of_input (Heatmap       *h,
                                               guint          e,
                                               guint          m);
guint       _attn_heatmap_block_top           (const Heatmap *h,
                                               guint          m);
char       *_attn_heatmap_block_label         (Heatmap       *h,
                                               guint          m);
void        _attn_heatmap_begin_block         (Heatmap       *h,
                                               guint          m);

/* attn-figure-antecedents.c */
gboolean    _attn_heatmap_antecedents_in      (Heatmap       *h,
                                               guint          s,
                                               guint          end);
double      _attn_heatmap_antecedent_min_ch   (Heatmap       *h);
double      _attn_heatmap_antecedents_width   (Heatmap       *h,
                                               guint          per_line);
double      _attn_heatmap_place_antecedents   (Heatmap       *h,
                                               double         y);

G_END_DECLS
