/* attn-cli-figures.h: the figure commands' module of attnflow-cli
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "attn-cli.h"

G_BEGIN_DECLS

/* The commands that draw (render, and correlate's --plot) live in a module
 * that attnflow-cli loads when one of them runs, so that the others start
 * without cairo, pango and the twenty-five libraries they bring, in half the
 * time (3.6 instead of 6.9 ms for `--version`). The module uses the program's own
 * functions (core and the shared helpers of attn-cli.h); it is built with
 * the program and refused when its version is not the program's. */
#define ATTN_CLI_FIGURES_MODULE "attnflow-cli-figures"
#define ATTN_CLI_FIGURES_ENTRY  "attn_cli_figures_module"

typedef struct
{
  const char *version;  /* the module's PACKAGE_VERSION */
  gsize       size;     /* sizeof (AttnCliFigures) when it was built */

  int       (*render)                (int                     argc,
                                      char                  **argv);
  /* correlate --plot OUT: whether OUT names a figure format, then the plot
   * (laid out at @width x @height, or its natural size at 0) */
  gboolean  (*check_plot_path)       (const char             *path,
                                      GError                **error);
  gboolean  (*save_correlation_plot) (const char             *path,
                                      const char             *reference,
                                      guint                   n_layers,
                                      AttnCorrelationMethods  methods,
                                      const char             *file,
                                      GPtrArray              *results,
                                      double                  width,
                                      double                  height,
                                      GError                **error);
} AttnCliFigures;

typedef const AttnCliFigures *(*AttnCliFiguresEntry) (void);

/* In the program: the loaded module (loaded once), or NULL with @error set */
const AttnCliFigures *attn_cli_figures (GError **error);

G_END_DECLS
