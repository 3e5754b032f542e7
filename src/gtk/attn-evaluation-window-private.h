/* attn-evaluation-window-private.h: what the tests read of the evaluation window
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-evaluation-window.h"

G_BEGIN_DECLS

const char *_attn_evaluation_window_get_cell_text    (AttnEvaluationWindow *self,
                                                      guint                 layer,
                                                      guint                 column);
const char *_attn_evaluation_window_get_last_message (AttnEvaluationWindow *self);
GtkWidget  *_attn_evaluation_window_get_plot_view    (AttnEvaluationWindow *self);
const char *_attn_evaluation_window_get_status       (AttnEvaluationWindow *self);
char       *_attn_evaluation_window_get_file_name    (AttnEvaluationWindow *self,
                                                      const char           *extension);

G_END_DECLS
