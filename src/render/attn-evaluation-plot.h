/* attn-evaluation-plot.h: Spearman's ρ per layer, one line per method or weight kind (the paper's
 * Tables 1 and 2)
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-figure.h"

G_BEGIN_DECLS

/**
 * AttnEvaluationPlotData:
 * @reference: the reference the methods were correlated with ("gradient")
 * @n_layers: L
 * @n_examples: how many examples were correlated (the means are over those
 *   whose ρ is defined: @nan_count)
 * @methods: the methods drawn (lines in the order raw, rollout, flow)
 * @mean: (array): %ATTN_N_METHODS * L means, `mean[m * L + (l-1)]`,
 *   as from attn_correlation_summarize(); NaN leaves a gap
 * @std: (array) (nullable): as many sample standard deviations, drawn as a
 *   band of ± one standard deviation
 * @example_rho: (array) (nullable): one example's own ρ, same layout, drawn
 *   as dashed lines
 * @example_label: (nullable): that example's name, for the legend
 * @caption: (nullable): the settings, printed under the plot
 * @weights: what the graph's edges weighed: the legend names them when they
 *   are not the attention ("Attention rollout (ALTI)")
 * @nan_count: (array) (nullable): %ATTN_N_METHODS * L counts of the
 *   examples whose ρ is NaN, left out of the means, as from
 *   attn_correlation_summarize(): the caption says how many examples the
 *   means are over ("over 4 of 5 examples"), as the table's heading does
 *
 * What an evaluation plot shows. Plain data; nothing is owned.
 */
typedef struct
{
  const char             *reference;
  guint                   n_layers;
  guint                   n_examples;
  AttnCorrelationMethods  methods;
  const double           *mean;
  const double           *std;
  const double           *example_rho;
  const char             *example_label;
  const char             *caption;
  AttnWeightKind          weights;
  const guint            *nan_count;
} AttnEvaluationPlotData;

/**
 * AttnEvaluationKindsPlotData:
 * @reference: the reference the methods were correlated with ("gradient")
 * @n_layers: L
 * @n_examples: how many examples every mean is over, or 0 when that differs
 *   between the kinds (the caption then says so; @caption gives the counts)
 * @methods: the methods drawn, one panel each (raw, rollout, flow)
 * @n_kinds: how many weight kinds, 1 to %ATTN_N_WEIGHT_KINDS
 * @kinds: (array length=n_kinds): the kinds, one line each in every panel
 * @mean: (array length=n_kinds): per kind, %ATTN_N_METHODS * L means laid
 *   out as #AttnEvaluationPlotData's; NaN leaves a gap
 * @caption: (nullable): the settings, printed under the plot
 * @nan_count: (array length=n_kinds) (nullable): per kind, the counts of
 *   the examples whose ρ is NaN, laid out as #AttnEvaluationPlotData's
 *   @nan_count; the caption says how many examples the means are over
 *
 * What an evaluation plot over weight kinds shows. Plain data; nothing is
 * owned.
 */
typedef struct
{
  const char             *reference;
  guint                   n_layers;
  guint                   n_examples;
  AttnCorrelationMethods  methods;
  guint                   n_kinds;
  const AttnWeightKind   *kinds;
  const double * const   *mean;
  const char             *caption;
  const guint * const    *nan_count;
} AttnEvaluationKindsPlotData;

AttnFigure *attn_figure_new_evaluation        (const AttnEvaluationPlotData *data,
                                               const AttnFigureStyle        *style);
AttnFigure *attn_figure_new_evaluation_kinds  (const AttnEvaluationKindsPlotData *data,
                                               const AttnFigureStyle             *style);
void        attn_evaluation_get_method_color  (AttnMethod                    method,
                                               gboolean                      dark,
                                               AttnRgba                     *color);
void        attn_evaluation_get_kind_color    (AttnWeightKind                kind,
                                               gboolean                      dark,
                                               AttnRgba                     *color);

G_END_DECLS
