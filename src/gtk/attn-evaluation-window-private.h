/* attn-evaluation-window-private.h: what the tests read of the evaluation window
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-evaluation-window.h"

G_BEGIN_DECLS

/* attn-evaluation-table.c */
void        _attn_evaluation_table_clear             (GtkGrid              *layers,
                                                      GtkGrid              *values);
void        _attn_evaluation_table_fill              (GtkGrid              *layers,
                                                      GtkGrid              *values,
                                                      AttnCorrelation      *r,
                                                      AttnExample          *example,
                                                      const double         *ex,
                                                      gboolean              stacked,
                                                      gboolean              dark,
                                                      GPtrArray            *cells);
void        _attn_evaluation_table_init_scrollbar    (GtkScrolledWindow    *scroller,
                                                      GtkScrollbar         *scrollbar);
void        _attn_evaluation_reference_dropdown_init (GtkDropDown          *dropdown,
                                                      GListModel           *model);
int         _attn_evaluation_table_means_width       (GtkGrid              *layers,
                                                      GtkGrid              *values);
int         _attn_evaluation_table_side_width        (GtkGrid              *layers,
                                                      GtkGrid              *values);
char       *_attn_evaluation_status_text             (AttnCorrelation      *r,
                                                      AttnWeightKind        wanted);
char       *_attn_evaluation_example_text            (AttnCorrelation      *r,
                                                      AttnExample          *example,
                                                      gboolean              in_result);

const char *_attn_evaluation_window_get_cell_text    (AttnEvaluationWindow *self,
                                                      guint                 layer,
                                                      guint                 column);
const char *_attn_evaluation_window_get_last_message (AttnEvaluationWindow *self);
GtkWidget  *_attn_evaluation_window_get_plot_view    (AttnEvaluationWindow *self);
GtkCheckButton *_attn_evaluation_window_get_plot_example_check (AttnEvaluationWindow *self);
GtkDropDown *_attn_evaluation_window_get_file_dropdown (AttnEvaluationWindow *self);
GtkGrid    *_attn_evaluation_window_get_table        (AttnEvaluationWindow *self,
                                                      GtkGrid             **layers);
GtkScrollbar *_attn_evaluation_window_get_table_scrollbar (AttnEvaluationWindow *self);
const char *_attn_evaluation_window_get_status       (AttnEvaluationWindow *self);
const char *_attn_evaluation_window_get_settings_text (AttnEvaluationWindow *self);
char       *_attn_evaluation_window_get_file_name    (AttnEvaluationWindow *self,
                                                      const char           *extension);

G_END_DECLS
