/* attn-export-private.h: saving through another stream, for the tests
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-export.h"

G_BEGIN_DECLS

/* Makes the stream a figure is written to out of the file's stream @base
 * (transfer full); the tests' stream fails half way, to check that a failed
 * save leaves the target alone. */
typedef GOutputStream *(*AttnStreamFilter) (GOutputStream *base,
                                            gpointer       user_data);

gboolean _attn_figure_save_through (const AttnFigure  *figure,
                                    GFile             *file,
                                    const char        *shown,
                                    AttnExportFormat   format,
                                    double             scale,
                                    AttnStreamFilter   filter,
                                    gpointer           filter_data,
                                    GCancellable      *cancellable,
                                    GError           **error);

G_END_DECLS
