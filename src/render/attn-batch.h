/* attn-batch.h: one figure per example, saved into a folder; the names of saved figures and tables
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-export.h"
#include "attn-figure.h"

G_BEGIN_DECLS

/**
 * AttnBatchProgressFunc:
 * @done: how many figures are saved so far
 * @total: how many there are to save
 * @name: (nullable): the name of the example being drawn next, or %NULL
 *   once all are saved
 * @user_data: the closure
 *
 * Called on the thread that saves, before each example and once at the end.
 */
typedef void (*AttnBatchProgressFunc) (guint       done,
                                       guint       total,
                                       const char *name,
                                       gpointer    user_data);

char       *attn_batch_safe_name        (const char                *name);
GPtrArray  *attn_batch_file_names       (AttnExample * const       *examples,
                                         guint                      n_examples,
                                         const AttnFigureSettings  *settings,
                                         AttnExportFormat           format);
const char *attn_export_format_get_extension (AttnExportFormat      format);
char       *attn_batch_view_name        (const AttnFigureSettings  *settings);
char       *attn_batch_model_name       (const char                *model);
char       *attn_batch_save_name        (AttnExample               *example,
                                         const AttnFigureSettings  *settings,
                                         AttnExportFormat           format);
char       *attn_batch_compare_file_name (AttnExample * const      *examples,
                                          guint                     n_examples,
                                          const AttnFigureSettings *settings,
                                          AttnExportFormat          format);
char       *attn_batch_correlation_file_name (const char           *path,
                                              const char           *model,
                                              const char           *reference,
                                              AttnWeightKind        weights,
                                              const char           *extension);

/**
 * AttnBatchRequest:
 * @inputs: (array length=n_inputs): the examples, one figure each
 * @n_inputs: how many there are
 * @settings: the figure of every example: graph or heatmap, a view, and the
 *   position (%ATTN_POSITION_FOCUS: each example's focus; a number: the same
 *   position in every example; %ATTN_POSITION_NONE: graphs without a click)
 * @style: colours, fonts, decluttering
 * @folder: where the files go (made when missing)
 * @format: PNG, SVG or PDF
 * @scale: PNG only: pixels per figure pixel (0: 1x)
 * @width: the size every figure is laid out at (attn_figure_new_at_size()),
 *   in pixels at 1x; 0 for each one's natural size
 * @height:
 * @folder_name: (nullable): @folder as the messages name it, the files
 *   in it under it: as the user gave it (a relative path stays relative),
 *   made safe to show; %NULL for its parse name (an absolute path)
 *
 * Which figures a batch saves, and where.
 */
typedef struct
{
  const AttnFigureInput    *inputs;
  guint                     n_inputs;
  const AttnFigureSettings *settings;
  const AttnFigureStyle    *style;
  GFile                    *folder;
  AttnExportFormat          format;
  double                    scale;
  double                    width;
  double                    height;
  const char               *folder_name;
} AttnBatchRequest;

gboolean    attn_batch_check_folder     (GFile                     *folder,
                                         const char                *given,
                                         GError                   **error);
gboolean    attn_figure_save_batch      (const AttnBatchRequest    *request,
                                         AttnBatchProgressFunc      progress,
                                         gpointer                   user_data,
                                         GPtrArray                **files,
                                         GCancellable              *cancellable,
                                         GError                   **error);
void        attn_figure_save_batch_async  (const AttnBatchRequest    *request,
                                           AttnProgress              *progress,
                                           GCancellable              *cancellable,
                                           GAsyncReadyCallback        callback,
                                           gpointer                   user_data);
GPtrArray  *attn_figure_save_batch_finish (GAsyncResult              *result,
                                           GError                   **error);

G_END_DECLS
