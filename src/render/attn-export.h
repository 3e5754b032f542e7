/* attn-export.h: save a figure as PNG, SVG or PDF without ever damaging the target
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "attn-figure.h"

G_BEGIN_DECLS

/* The scales of a PNG that `attnflow-cli render --scale` takes (a figure
 * can be drawn at any scale above 0 up to the maximum) */
#define ATTN_EXPORT_MIN_SCALE 0.25
#define ATTN_EXPORT_MAX_SCALE 8.

typedef enum
{
  ATTN_EXPORT_PNG,
  ATTN_EXPORT_SVG,
  ATTN_EXPORT_PDF,
} AttnExportFormat;

gboolean attn_export_format_from_path (const char        *path,
                                       AttnExportFormat  *format,
                                       GError           **error);
gboolean attn_figure_save             (const AttnFigure  *figure,
                                       GFile             *file,
                                       AttnExportFormat   format,
                                       double             scale,
                                       GCancellable      *cancellable,
                                       GError           **error);
gboolean attn_figure_save_named       (const AttnFigure  *figure,
                                       GFile             *file,
                                       const char        *name,
                                       AttnExportFormat   format,
                                       double             scale,
                                       GCancellable      *cancellable,
                                       GError           **error);
void     attn_figure_save_async       (AttnFigure          *figure,
                                       GFile               *file,
                                       double               scale,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
void     attn_figure_build_and_save_async (const AttnFigureInput    *inputs,
                                           guint                     n_inputs,
                                           const AttnFigureSettings *settings,
                                           const AttnFigureStyle    *style,
                                           double                    width,
                                           double                    height,
                                           GFile                    *file,
                                           double                    scale,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data);
gboolean attn_figure_save_finish      (GAsyncResult        *result,
                                       GFile              **file,
                                       GError             **error);
gboolean attn_figure_save_to_stream   (const AttnFigure  *figure,
                                       GOutputStream     *stream,
                                       AttnExportFormat   format,
                                       double             scale,
                                       GCancellable      *cancellable,
                                       GError           **error);

gboolean attn_figure_check_save_at_size (const AttnFigureSettings *settings,
                                         double                    width,
                                         double                    height,
                                         GFile                    *file,
                                         const char               *shown,
                                         AttnExportFormat          format,
                                         double                    scale,
                                         GError                  **error);

gboolean attn_figure_check_save        (const AttnFigureInput    *inputs,
                                        guint                     n_inputs,
                                        const AttnFigureSettings *settings,
                                        const AttnFigureStyle    *style,
                                        double                    width,
                                        double                    height,
                                        GFile                    *file,
                                        const char               *shown,
                                        AttnExportFormat          format,
                                        double                    scale,
                                        GError                  **error);

char    *attn_export_error_cause       (GFile             *file,
                                       const GError      *error);

G_END_DECLS
