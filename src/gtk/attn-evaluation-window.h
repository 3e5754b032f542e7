/* attn-evaluation-window.h: Spearman's ρ of each method against a reference, per layer
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "attn-core.h"
#include "attn-render.h"

G_BEGIN_DECLS

#define ATTN_TYPE_EVALUATION_WINDOW (attn_evaluation_window_get_type ())

G_DECLARE_FINAL_TYPE (AttnEvaluationWindow, attn_evaluation_window, ATTN, EVALUATION_WINDOW, AdwWindow)

GtkWindow  *attn_evaluation_window_new              (GtkWindow            *parent,
                                                     GPtrArray            *documents,
                                                     AttnExample          *current);
gboolean    attn_evaluation_window_is_busy          (AttnEvaluationWindow *self);
const char *attn_evaluation_window_get_reference    (AttnEvaluationWindow *self);
gboolean    attn_evaluation_window_set_reference    (AttnEvaluationWindow *self,
                                                     const char           *name);
AttnExample *attn_evaluation_window_get_example     (AttnEvaluationWindow *self);
gboolean    attn_evaluation_window_get_summary      (AttnEvaluationWindow *self,
                                                     guint                *n_examples,
                                                     guint                *n_layers,
                                                     const double        **mean,
                                                     const double        **std,
                                                     const guint         **nan_count,
                                                     const double        **example_rho);
char       *attn_evaluation_window_get_csv          (AttnEvaluationWindow *self);
AttnFigure *attn_evaluation_window_get_figure       (AttnEvaluationWindow *self);
void        attn_evaluation_window_save_plot        (AttnEvaluationWindow *self,
                                                     GFile                *file);
void        attn_evaluation_window_export_csv       (AttnEvaluationWindow *self,
                                                     GFile                *file);

G_END_DECLS
