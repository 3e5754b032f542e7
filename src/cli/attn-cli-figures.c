/* attn-cli-figures.c: the module of attnflow-cli's figure commands
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the commands that draw need of the renderer (attn-cli-figures.h):
 * `render` (attn-cli-render.c) and the evaluation plot of `correlate --plot`.
 */

#include "config.h"

#include <gmodule.h>

#include "attn-cli-figures.h"
#include "attn-render.h"

/* The evaluation plot of @results: one result, a line per method with its
 * band; several, a panel per method with a line per weight kind. Its
 * caption names the file by its base name, as the evaluation window's
 * does. */
static AttnFigure *
build_plot (const char             *reference,
            guint                   n_layers,
            AttnCorrelationMethods  methods,
            const char             *file,
            GPtrArray              *results)
{
  AttnCorrelation *first = g_ptr_array_index (results, 0);
  AttnFigureStyle style;
  g_autoptr(GString) caption = g_string_new (NULL);
  g_autofree char *base_name = g_path_get_basename (file);
  g_autofree char *base = attn_text_from_file_name (base_name);

  attn_figure_style_init (&style, FALSE);
  for (guint r = 0; r < results->len; r++)
    {
      /* each line names its kind when there are several, attention too;
       * by its label, as the window's caption (the same function) */
      g_autofree char *line = attn_correlation_describe_figure (g_ptr_array_index (results, r), base,
                                                                results->len > 1);

      g_string_append_printf (caption, "%s%s", r > 0 ? "\n" : "", line);
    }

  if (results->len == 1)
    {
      AttnEvaluationPlotData data = { 0 };

      data.reference = reference;
      data.n_layers = n_layers;
      data.n_examples = attn_correlation_get_n_examples (first);
      data.methods = methods;
      data.mean = attn_correlation_get_mean (first);
      data.std = attn_correlation_get_std (first);
      data.caption = caption->str;
      data.weights = attn_graph_settings_get_weights (attn_correlation_get_settings (first));
      data.nan_count = attn_correlation_get_nan_count (first);
      return attn_figure_new_evaluation (&data, &style);
    }
  else
    {
      AttnEvaluationKindsPlotData data = { 0 };
      AttnWeightKind kinds[ATTN_N_WEIGHT_KINDS];
      const double *means[ATTN_N_WEIGHT_KINDS];
      const guint *nan_counts[ATTN_N_WEIGHT_KINDS];

      data.n_examples = attn_correlation_get_n_examples (first);
      for (guint r = 0; r < results->len && r < ATTN_N_WEIGHT_KINDS; r++)
        {
          AttnCorrelation *result = g_ptr_array_index (results, r);

          kinds[r] = attn_graph_settings_get_weights (attn_correlation_get_settings (result));
          means[r] = attn_correlation_get_mean (result);
          nan_counts[r] = attn_correlation_get_nan_count (result);
          if (attn_correlation_get_n_examples (result) != data.n_examples)
            data.n_examples = 0;
        }
      data.reference = reference;
      data.n_layers = n_layers;
      data.methods = methods;
      data.n_kinds = MIN (results->len, ATTN_N_WEIGHT_KINDS);
      data.kinds = kinds;
      data.mean = means;
      data.nan_count = nan_counts;
      data.caption = caption->str;
      return attn_figure_new_evaluation_kinds (&data, &style);
    }
}

static gboolean
check_plot_path (const char  *path,
                 GError     **error)
{
  AttnExportFormat format;

  return attn_export_format_from_path (path, &format, error);
}

static gboolean
save_correlation_plot (const char             *path,
                       const char             *reference,
                       guint                   n_layers,
                       AttnCorrelationMethods  methods,
                       const char             *file,
                       GPtrArray              *results,
                       double                  width,
                       double                  height,
                       GError                **error)
{
  g_autoptr(AttnFigure) natural = NULL;
  g_autoptr(AttnFigure) figure = NULL;
  g_autoptr(GFile) out = NULL;
  g_autofree char *shown = NULL;
  AttnExportFormat format;

  if (!attn_export_format_from_path (path, &format, error))
    return FALSE;
  natural = build_plot (reference, n_layers, methods, file, results);
  figure = attn_figure_new_at_size (natural, width, height);
  out = g_file_new_for_commandline_arg (path);
  /* a failure names the file as given, as the checks before do */
  shown = attn_error_escape_text (path, -1);
  return attn_figure_save_named (figure, out, shown, format, 1., NULL, error);
}

G_MODULE_EXPORT const AttnCliFigures *attn_cli_figures_module (void);

const AttnCliFigures *
attn_cli_figures_module (void)
{
  static const AttnCliFigures figures = {
    .version = PACKAGE_VERSION,
    .size = sizeof (AttnCliFigures),
    .render = attn_cli_render,
    .check_plot_path = check_plot_path,
    .save_correlation_plot = save_correlation_plot,
  };

  return &figures;
}
