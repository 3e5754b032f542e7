/* attn-cli-render.c: `attnflow-cli render FILE… --view … --output OUT.{png,svg,pdf}`
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws a figure (README, "Command line") with the shared renderer, exactly as the app
 * saves it: graph (Figure 1), heatmap (Figures 2-3) or compare (Figure 4).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attn-cli.h"
#include "attn-render.h"

#define COMMAND "render"

typedef struct
{
  AttnCliGraphSettings   graph;
  char                  *view;
  char                  *output;
  char                  *output_dir;
  char                  *format;
  char                  *figure;
  char                 **examples;
  char                  *position;
  char                  *threshold;
  char                  *top_k;
  char                  *colormap;
  char                  *scale;
  char                  *size;
  double                 width;        /* --size, or 0: the natural size */
  double                 height;
  char                  *sink;
  char                  *layer;
  char                  *layers;
  char                  *color_scale;
  char                 **layer_ends;   /* --layers FIRST and LAST */
  gboolean               dark;
  gboolean               values;
  gboolean               exclude_special;
} Render;

static void
render_clear (Render *self)
{
  attn_cli_graph_settings_clear (&self->graph);
  g_free (self->view);
  g_free (self->output);
  g_free (self->output_dir);
  g_free (self->format);
  g_free (self->figure);
  g_strfreev (self->examples);
  g_free (self->position);
  g_free (self->threshold);
  g_free (self->top_k);
  g_free (self->colormap);
  g_free (self->scale);
  g_free (self->size);
  g_free (self->sink);
  g_free (self->layer);
  g_free (self->layers);
  g_strfreev (self->layer_ends);
  g_free (self->color_scale);
}

static gboolean
parse_double (const char  *text,
              const char  *option,
              double       min,
              double       max,
              double      *value,
              GError     **error)
{
  gboolean underflow;

  if (!attn_cli_parse_double (text, min, max, value, &underflow))
    {
      if (underflow)
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     /* translators: %s are the value, a number such as 1e-400 (not 0 but
                      * too small for a double), and the option, e.g. “--threshold” */
                     _("Invalid value “%s” for %s: too close to 0 to be read as a number (it "
                       "would be taken as 0): expected a number from %g to %g"),
                     text, option, min, max);
      else
        /* translators: %s are the value and the option, e.g. “--scale” */
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("Invalid value “%s” for %s: expected a number from %g to %g"),
                     text, option, min, max);
      return FALSE;
    }
  return TRUE;
}

/* --top-k: a count of edges; one larger than any node has, however large,
 * keeps them all */
static gboolean
parse_uint (const char  *text,
            const char  *option,
            guint       *value,
            GError     **error)
{
  if (!attn_parse_number (text, value))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Invalid value “%s” for %s: expected a non-negative whole number"),
                   text, option);
      return FALSE;
    }
  *value = MIN (*value, (guint) G_MAXINT);
  return TRUE;
}

/* Whether two of the paths given on the command line are one file
 * (“a.json” and “./a.json”, or a link to it): @error says so when they are.
 * Each path is looked at once, keyed by its device and inode (by the path
 * itself where it cannot be looked at: the loader says why). */
static gboolean
find_file_given_twice (int      argc,
                       char   **argv,
                       GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 1; i < argc; i++)
    {
      struct stat info;
      char *key = stat (argv[i], &info) == 0
                  ? g_strdup_printf ("%ju:%ju", (uintmax_t) info.st_dev, (uintmax_t) info.st_ino)
                  : g_strconcat ("/", argv[i], NULL);
      const char *first = g_hash_table_lookup (seen, key);

      if (first == NULL)
        {
          g_hash_table_insert (seen, key, argv[i]);
          continue;
        }
      g_free (key);
      if (g_str_equal (first, argv[i]))
        /* translators: a file given twice on the command line */
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("The same file “%s” is given twice: give each file once"), first);
      else
        /* translators: two paths of one file, both given on the command line */
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     _("“%s” and “%s” are the same file, given twice: give each file once"),
                     first, argv[i]);
      return TRUE;
    }
  return FALSE;
}

/* The file of FILE:ID: the path exactly as given, else the one file whose
 * name is FILE (ambiguous: -1 with @error set). Returns its index, or -1. */
static int
find_file (char        **paths,
           guint         n_paths,
           const char   *file,
           GError      **error)
{
  int found = -1;

  for (guint i = 0; i < n_paths; i++)
    if (g_str_equal (paths[i], file))
      return (int) i;
  for (guint i = 0; i < n_paths; i++)
    {
      g_autofree char *base = g_path_get_basename (paths[i]);

      if (!g_str_equal (base, file))
        continue;
      if (found >= 0)
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       /* translators: a file name, then two paths that end in it */
                       _("“%s” could be “%s” or “%s”: give the path as on the command line"),
                       file, paths[found], paths[i]);
          return -1;
        }
      found = (int) i;
    }
  return found;
}

/* Whether the part of @spec before @colon names a file: one that exists,
 * or a name of the files the loader reads */
static gboolean
names_a_file (const char *spec,
              const char *colon)
{
  g_autofree char *file = g_strndup (spec, (gsize) (colon - spec));

  return g_str_has_suffix (file, ".json") || g_str_has_suffix (file, ".jsonl") ||
         g_file_test (file, G_FILE_TEST_EXISTS);
}

/* FILE:ID, or ID alone (then searched in every file: an error when two have it). An
 * id may hold colons ("sst2:0551"): FILE is the first part before a colon that
 * names a file given. */
static AttnExample *
find_example (GPtrArray   *documents,
              char       **paths,
              const char  *spec,
              const char **path_out,
              GError     **error)
{
  const char *colon = strrchr (spec, ':');

  for (const char *split = spec[0] != '\0' ? strchr (spec + 1, ':') : NULL; split != NULL;
       split = strchr (split + 1, ':'))
    {
      g_autofree char *file = g_strndup (spec, (gsize) (split - spec));
      g_autoptr(GError) ambiguous = NULL;
      int i = find_file (paths, documents->len, file, &ambiguous);

      if (ambiguous != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&ambiguous));
          return NULL;
        }
      if (i >= 0)
        {
          *path_out = paths[i];
          return attn_document_find_example (g_ptr_array_index (documents, i), split + 1, error);
        }
    }

  for (guint i = 0; i < documents->len; i++)
    {
      AttnExample *example = attn_document_find_example (g_ptr_array_index (documents, i), spec, NULL);

      if (example == NULL)
        continue;
      /* the same id (or index) in two files: which one is meant is not for the order of the
       * files to decide (two exports of one sentence set, from two models) */
      for (guint j = i + 1; j < documents->len; j++)
        if (attn_document_find_example (g_ptr_array_index (documents, j), spec, NULL) != NULL)
          {
            g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                         /* translators: an --example value, two files that both have an
                          * example it names, then the first file and the value again */
                         _("“%s” names an example of “%s” and one of “%s”: give it as FILE:ID, "
                           "such as “%s:%s”"), spec, paths[i], paths[j], paths[i], spec);
            return NULL;
          }
      *path_out = paths[i];
      return example;
    }

  /* one file: its ids and indices, as raw, rollout and flow name them, also of an id
   * with a colon (“sst2:0551”): no other file is given for FILE to name */
  if (documents->len == 1)
    {
      g_autoptr(GError) local_error = NULL;
      AttnExample *example = attn_document_find_example (g_ptr_array_index (documents, 0), spec,
                                                         &local_error);

      /* FILE:ID of a file not given (an id may hold a colon: only a FILE that
       * names a file is taken for one) */
      if (example == NULL && colon != NULL && colon != spec && names_a_file (spec, colon))
        g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                     /* translators: an --example value FILE:ID, the file given, then FILE */
                     _("No example “%s” in “%s”, and “%.*s” is not the file given"), spec, paths[0],
                     (int) (colon - spec), spec);
      else if (example == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return example;
    }
  if (colon != NULL && colon != spec)
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("No example “%s”: “%.*s” is not one of the files given"), spec,
                 (int) (colon - spec), spec);
  else
    g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                 _("No example “%s” in the files given (use an id, a 0-based index or FILE:ID)"),
                 spec);
  return NULL;
}

/* Whether @specs, the --example values, hold “all” (in any case) */
static gboolean
names_all (char **specs)
{
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    if (attn_keyword_is (specs[i], "all"))
      return TRUE;
  return FALSE;
}

/* The output's format: --format with --output-dir, else the extension of --output */
static gboolean
parse_format (Render                   *self,
              const AttnFigureSettings *settings,
              AttnExportFormat         *format,
              GError                  **error)
{
  static const char * const formats[] = { "png", "svg", "pdf" };
  static const AttnExportFormat values[] = { ATTN_EXPORT_PNG, ATTN_EXPORT_SVG, ATTN_EXPORT_PDF };
  const char *message = NULL;
  int i;

  if (!attn_cli_check_given ("--output-dir", self->output_dir, error))
    return FALSE;
  if (self->output != NULL && self->output_dir != NULL)
    message = _("Give either --output or --output-dir, not both");
  else if (self->format != NULL && self->output_dir == NULL)
    message = _("--format goes with --output-dir; --output takes the format from the file name");
  else if (self->output_dir != NULL && settings->kind == ATTN_FIGURE_COMPARE)
    message = _("--output-dir saves one graph or heatmap per example, not a comparison");
  else if (self->output_dir == NULL && names_all (self->examples))
    message = _("--example all saves one figure per example: give --output-dir instead of --output");
  if (message != NULL)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT, message);
      return FALSE;
    }

  /* a folder (“figures/”) is more likely meant for --output-dir than named without its
   * extension */
  if (self->output_dir == NULL &&
      (!attn_cli_check_not_folder (self->output, "--output", "--output-dir", error) ||
       !attn_export_format_from_path (self->output, format, error)))
    return FALSE;
  if (self->output_dir == NULL)
    return TRUE;
  /* a file is no folder to save in, as a folder is no file to save to */
  if (g_file_test (self->output_dir, G_FILE_TEST_EXISTS) &&
      !g_file_test (self->output_dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *shown = attn_error_escape_text (self->output_dir, -1);

      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   /* translators: a file given as --output-dir */
                   _("“%s” is not a folder: --output-dir takes a folder to save one figure per "
                     "example in (for one figure in that file, give --output instead)"), shown);
      return FALSE;
    }
  /* in any case, as the extension of --output is taken */
  i = attn_keyword_find (self->format != NULL ? self->format : "png", formats, G_N_ELEMENTS (formats));
  if (i < 0)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Unknown format “%s”: use png, svg or pdf"), self->format);
      return FALSE;
    }
  *format = values[i];
  return TRUE;
}

/* --view, --figure, the output's format and the graph settings */
static gboolean
parse_figure (Render              *self,
              AttnFigureSettings  *settings,
              AttnExportFormat    *format,
              GError             **error)
{
  static const char * const figures[] = { "graph", "heatmap", "compare" };
  static const AttnFigureKind kinds[] = { ATTN_FIGURE_GRAPH, ATTN_FIGURE_HEATMAP, ATTN_FIGURE_COMPARE };
  int figure = attn_keyword_find (self->figure != NULL ? self->figure : "graph", figures,
                                  G_N_ELEMENTS (figures));

  /* in any case, as a method's name */
  if (attn_keyword_is (self->view, "all"))
    settings->all_methods = TRUE;
  else if (!attn_method_from_name (self->view, &settings->method))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Unknown view “%s”: use raw, rollout, flow or all"), self->view);
      return FALSE;
    }

  if (figure < 0)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Unknown figure “%s”: use graph, heatmap or compare"), self->figure);
      return FALSE;
    }
  settings->kind = kinds[figure];

  if (!parse_format (self, settings, format, error) ||
      !attn_cli_graph_settings_check (&self->graph, error))
    return FALSE;
  settings->residual = self->graph.residual;
  settings->head_mix = self->graph.head_mix;
  settings->heads = self->graph.heads;
  settings->weights = attn_graph_settings_get_weights (self->graph.settings);
  settings->weight_kinds = self->graph.weights;
  if ((self->graph.all_weights || (self->graph.weights & (self->graph.weights - 1)) != 0) &&
      settings->kind == ATTN_FIGURE_GRAPH)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("--figure graph shows one weight kind: give several --weights to --figure heatmap or compare"));
      return FALSE;
    }
  if ((self->graph.all_weights || (self->graph.weights & (self->graph.weights - 1)) != 0) &&
      settings->all_methods)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("Several --weights go side by side for one --view method, not for all"));
      return FALSE;
    }
  return TRUE;
}

/* --weights all: every kind each example of the figure carries with the
 * --heads (the figure names those left out) */
static void
resolve_all_weights (Render             *self,
                     GArray             *inputs,
                     AttnFigureSettings *settings)
{
  guint kinds = (1u << ATTN_N_WEIGHT_KINDS) - 1;

  if (!self->graph.all_weights)
    return;
  for (guint i = 0; i < inputs->len; i++)
    kinds &= attn_heads_get_weight_kinds (settings->heads, g_array_index (inputs, AttnFigureInput, i).example);
  settings->weight_kinds = kinds;
  settings->all_weights = TRUE;
}

/* --dark, --values, --exclude-special, --colormap, --color-scale, --threshold, --top-k, --scale */
static gboolean
parse_style (Render          *self,
             AttnFigureStyle *style,
             double          *scale,
             GError         **error)
{
  attn_figure_style_init (style, self->dark);
  style->show_values = self->values;
  style->exclude_special = self->exclude_special;
  if (self->colormap != NULL)
    {
      style->colormap = attn_colormap_from_name (self->colormap);
      if (style->colormap == NULL)
        {
          g_autofree char *names = g_strjoinv (", ", (char **) attn_colormap_list_names ());

          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Unknown colour map “%s”: use one of %s"), self->colormap, names);
          return FALSE;
        }
    }
  if (self->color_scale != NULL && !attn_color_scale_from_name (self->color_scale, &style->color_scale))
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Unknown colour scale “%s”: use per-layer or global"), self->color_scale);
      return FALSE;
    }
  if (self->threshold != NULL &&
      !parse_double (self->threshold, "--threshold", 0., 1., &style->threshold, error))
    return FALSE;
  if (self->top_k != NULL && !parse_uint (self->top_k, "--top-k", &style->top_k, error))
    return FALSE;
  if (self->scale != NULL &&
      !parse_double (self->scale, "--scale", ATTN_EXPORT_MIN_SCALE, ATTN_EXPORT_MAX_SCALE, scale, error))
    return FALSE;
  return TRUE;
}

G_STATIC_ASSERT (ATTN_CLI_PLOT_MIN_WIDTH == ATTN_FIGURE_VIEW_MIN_WIDTH &&
                 ATTN_CLI_PLOT_MIN_HEIGHT == ATTN_FIGURE_VIEW_MIN_HEIGHT);

/* --size WIDTHxHEIGHT (attn_cli_parse_size()); not for the graphs of three
 * methods side by side */
static gboolean
parse_size (Render                   *self,
            const AttnFigureSettings *settings,
            GError                  **error)
{
  gboolean graph = settings->kind == ATTN_FIGURE_GRAPH;

  if (self->size == NULL)
    return TRUE;
  if (graph && settings->all_methods)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("--size lays out one method’s graph, a heatmap or a comparison, "
                             "not the graphs of --view all side by side"));
      return FALSE;
    }
  /* no smaller than the view that shows the figure in the application */
  return attn_cli_parse_size (self->size, "--size", graph ? ATTN_GRAPH_VIEW_MIN_WIDTH : ATTN_FIGURE_VIEW_MIN_WIDTH,
                              graph ? ATTN_GRAPH_VIEW_MIN_HEIGHT : ATTN_FIGURE_VIEW_MIN_HEIGHT,
                              &self->width, &self->height, error);
}

/* --position and --sink */
static gboolean
parse_position (Render              *self,
                AttnFigureSettings  *settings,
                GError             **error)
{
  guint value;

  if (self->position == NULL)
    settings->position = ATTN_POSITION_FOCUS;
  else if (attn_keyword_is (self->position, "none"))
    {
      if (settings->kind != ATTN_FIGURE_GRAPH)
        {
          g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                               _("--position none only applies to --figure graph"));
          return FALSE;
        }
      settings->position = ATTN_POSITION_NONE;
    }
  else if (attn_cli_parse_option_number (self->position, "--position", "none", &value, error))
    settings->position = (int) MIN (value, (guint) G_MAXINT);
  else
    return FALSE;

  if (self->sink == NULL)
    return TRUE;
  if (!attn_cli_parse_option_number (self->sink, "--sink", NULL, &value, error))
    return FALSE;
  if (settings->kind != ATTN_FIGURE_GRAPH || (!settings->all_methods && settings->method != ATTN_METHOD_FLOW))
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("--sink only applies to the flow graph (--view flow or all, --figure graph)"));
      return FALSE;
    }
  if (settings->position == ATTN_POSITION_NONE)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("--sink J shows the max-flow paths from the selected position into input J: "
                             "it needs a selected position (--position P or the focus), not --position none"));
      return FALSE;
    }
  settings->sink = (int) MIN (value, (guint) G_MAXINT);
  return TRUE;
}

/* --layers FIRST-LAST: two layers from 1 up, the first not past the last */
static gboolean
parse_layer_range (Render              *self,
                   AttnFigureSettings  *settings,
                   GError             **error)
{
  guint first = 0, last = 0;

  self->layer_ends = g_strsplit (self->layers, "-", 2);
  if (g_strv_length (self->layer_ends) != 2 ||
      !attn_parse_number (self->layer_ends[0], &first) ||
      !attn_parse_number (self->layer_ends[1], &last) ||
      first == 0)
    {
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Invalid value “%s” for --layers: expected FIRST-LAST, such as 3-12, from 1 up"),
                   self->layers);
      return FALSE;
    }
  if (first > last)
    {
      /* translators: after “--layers: ”, so not at the start of a sentence; a
       * range of layers such as “3-1”, then its first and last layer as typed */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("in “%s”, %s is past %s: a range goes from its first layer up to its last"),
                   self->layers, self->layer_ends[0], self->layer_ends[1]);
      g_prefix_error (error, "--layers: ");
      return FALSE;
    }
  settings->first_layer = first;
  settings->last_layer = last;
  return TRUE;
}

/* --layer (the selected node's: a graph's, or the layer a heatmap's
 * sentence is coloured by) and --layers FIRST-LAST; a layer above the top
 * of an example is checked with it */
static gboolean
parse_layers (Render              *self,
              AttnFigureSettings  *settings,
              GError             **error)
{
  if (self->layer != NULL)
    {
      if (settings->kind == ATTN_FIGURE_COMPARE || settings->position == ATTN_POSITION_NONE)
        {
          g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                               _("--layer is the selected node’s layer: it applies to --figure graph or heatmap with a position"));
          return FALSE;
        }
      if (!attn_cli_parse_option_number (self->layer, "--layer", NULL, &settings->layer, error))
        return FALSE;
    }
  if (self->layers == NULL)
    return TRUE;
  if (!parse_layer_range (self, settings, error))
    return FALSE;
  /* a node above the layers drawn is one (the window keeps a selection
   * when the range shrinks under it, and Copy Command names it); one below
   * is not */
  if (self->layer != NULL && settings->layer < settings->first_layer)
    {
      const char *layer = attn_number_digits (self->layer);

      /* translators: --layer's value, then --layers' (such as 3-12) */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("--layer %s is below --layers %s: the selected node is in a layer drawn or above them"),
                   layer, self->layers);
      return FALSE;
    }
  return TRUE;
}

/* The positions and layers the options name are those of @example: the
 * position and --sink input positions it has, --layers layers it has,
 * --layer one of them */
static gboolean
check_example (const Render              *self,
               const AttnFigureSettings  *settings,
               AttnExample               *example,
               GError                   **error)
{
  guint n = attn_example_get_n_tokens (example);
  guint L = attn_example_get_n_layers (example);
  guint first = self->layer_ends != NULL ? settings->first_layer : 1;
  guint last = self->layer_ends != NULL ? settings->last_layer : L;
  const char *position = NULL, *layer = NULL;

  if (self->position != NULL && settings->position >= 0 && (guint) settings->position >= n)
    position = self->position;
  else if (settings->sink >= 0 && (guint) settings->sink >= n)
    {
      const char *number = attn_number_digits (self->sink);
      g_autofree char *name = attn_example_dup_message_name (example);

      /* translators: the example (“cat-mat”, or 3 (no id)), --sink's value twice (a
       * number, however large) and the example's last input position */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("Example %s: --sink %s: position %s does not exist: the input has positions 0 to %u"),
                   name, number, number, n - 1);
      return FALSE;
    }
  else if (self->layer != NULL && settings->layer > L)
    layer = self->layer;
  else if (first > L)
    layer = self->layer_ends[0];
  else if (last > L)
    layer = self->layer_ends[1];
  else
    return TRUE;

  attn_cli_set_absent_error (error, example, position == NULL, position != NULL ? position : layer,
                             position != NULL ? n - 1 : L);
  return FALSE;
}

/* check_example() for each example drawn, in order; @failed: the index of
 * the first that fails (inputs->len when none does) */
static gboolean
check_examples (const Render              *self,
                const AttnFigureSettings  *settings,
                GArray                    *inputs,
                guint                     *failed,
                GError                   **error)
{
  for (*failed = 0; *failed < inputs->len; (*failed)++)
    if (!check_example (self, settings, g_array_index (inputs, AttnFigureInput, *failed).example, error))
      return FALSE;
  return TRUE;
}

/* An earlier input of @inputs that is input @i's example: its index, or -1 */
static int
earlier_same_example (GArray *inputs,
                      guint   i)
{
  for (guint j = 0; j < i; j++)
    if (g_array_index (inputs, AttnFigureInput, j).example ==
        g_array_index (inputs, AttnFigureInput, i).example)
      return (int) j;
  return -1;
}

/* Appends the example each of @specs names (ID, INDEX or FILE:ID), in order. */
static gboolean
append_named_examples (GPtrArray   *documents,
                       char       **paths,
                       char       **specs,
                       GArray      *inputs,
                       GError     **error)
{
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      AttnFigureInput input = { 0 };

      input.example = find_example (documents, paths, specs[i], &input.path, error);
      if (input.example == NULL)
        return FALSE;
      g_array_append_val (inputs, input);
    }
  return TRUE;
}

/* The examples to draw, from --example (2-4 of them for compare).
 * Returns FALSE with @usage set for a misused option, unset for a missing example. */
static gboolean
collect_inputs (Render                   *self,
                GPtrArray                *documents,
                char                    **paths,
                const AttnFigureSettings *settings,
                GArray                   *inputs,
                gboolean                 *usage,
                GError                  **error)
{
  guint n = self->examples != NULL ? g_strv_length (self->examples) : 0;

  *usage = TRUE;
  if (settings->kind == ATTN_FIGURE_COMPARE)
    {
      if (n < 2 || n > 4)
        {
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("--figure compare needs --example 2 to 4 times, not %u"), n);
          return FALSE;
        }
      if (self->position != NULL)
        {
          g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                               _("--figure compare shows each example at its focus token: leave out --position"));
          return FALSE;
        }
    }
  else if (n > 1)
    {
      g_set_error_literal (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                           _("Give --example once, except with --figure compare"));
      return FALSE;
    }
  else if (n == 0 && documents->len > 1)
    {
      /* not the first file's first example, the others left unsaid */
      g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                   _("%u files given for one figure: choose its example with --example FILE:ID"), documents->len);
      return FALSE;
    }

  *usage = FALSE;
  if (n == 0)
    {
      g_autoptr(GPtrArray) first = attn_cli_select_examples (g_ptr_array_index (documents, 0), NULL, error);
      AttnFigureInput input = { 0 };

      if (first == NULL)
        return FALSE;
      input.example = g_ptr_array_index (first, 0);
      input.path = paths[0];
      g_array_append_val (inputs, input);
      return TRUE;
    }
  if (!append_named_examples (documents, paths, self->examples, inputs, error))
    return FALSE;
  /* an example compared with itself (named twice, or by its id and its index) */
  for (guint i = 1; i < inputs->len; i++)
    {
      int j = earlier_same_example (inputs, i);

      if (j >= 0)
        {
          g_autofree char *name =
            attn_example_dup_message_name (g_array_index (inputs, AttnFigureInput, i).example);

          /* translators: the example (“cat-mat”, or 3 (no id)), then two --example values
           * that name it */
          g_set_error (error, ATTN_ERROR, ATTN_ERROR_ARGUMENT,
                       _("Example %s is named twice (--example %s and --example %s): "
                         "a comparison needs different examples"),
                       name, self->examples[j], self->examples[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* Batch progress: a terminal gets one live line, overwritten for each example;
 * the summary replaces it at the end (a pipe gets only the summary). */
typedef struct
{
  gboolean    tty;
  gboolean    shown;
  guint       total;   /* the figures of the batch, also those not drawn */
} BatchProgress;

static void
batch_progress_cb (guint       done,
                   guint       total,
                   const char *name,
                   gpointer    user_data)
{
  BatchProgress *progress = user_data;
  g_autofree char *shown = NULL;

  if (!progress->tty || name == NULL)
    return;
  shown = attn_error_escape_text (name, -1);
  g_printerr ("\rattnflow-cli " COMMAND ": %u/%u %s\033[K", done + 1, progress->total, shown);
  progress->shown = TRUE;
}

static void
batch_progress_end (BatchProgress *progress)
{
  if (progress->shown)
    g_printerr ("\r\033[K");
  progress->shown = FALSE;
}

/* Every example of the --example list (ID, INDEX, FILE:ID or “all”), in order
 * and each once; every example of every file without one. */
static gboolean
collect_batch (GPtrArray   *documents,
               char       **paths,
               char       **specs,
               GArray      *inputs,
               GError     **error)
{
  if (specs == NULL || names_all (specs))
    {
      for (guint d = 0; d < documents->len; d++)
        {
          AttnDocument *document = g_ptr_array_index (documents, d);

          for (guint i = 0; i < attn_document_get_n_examples (document); i++)
            {
              AttnFigureInput input = { attn_document_get_example (document, i), paths[d] };

              g_array_append_val (inputs, input);
            }
        }
      return TRUE;
    }

  if (!append_named_examples (documents, paths, specs, inputs, error))
    return FALSE;
  /* an example named twice (0 and its id, or 0 twice) is saved once */
  for (guint i = inputs->len; i-- > 1;)
    if (earlier_same_example (inputs, i) >= 0)
      g_array_remove_index (inputs, i);
  return TRUE;
}

static int
render_batch (Render                   *self,
              GPtrArray                *documents,
              char                    **paths,
              const AttnFigureSettings *settings,
              const AttnFigureStyle    *style,
              AttnExportFormat          format,
              double                    scale)
{
  g_autoptr(GArray) inputs = g_array_new (FALSE, TRUE, sizeof (AttnFigureInput));
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GFile) folder = g_file_new_for_commandline_arg (self->output_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = attn_error_escape_text (self->output_dir, -1);
  BatchProgress progress = { isatty (STDERR_FILENO), FALSE, 0 };
  g_autoptr(GError) check_error = NULL;
  guint n_drawn;
  g_autoptr(GString) out = g_string_new (NULL);
  AttnFigureSettings resolved = *settings;
  gboolean ok;

  if (!collect_batch (documents, paths, self->examples, inputs, &error))
    return attn_cli_fail (COMMAND, error);
  /* the examples before the first that fails the checks are drawn, as
   * those before one that fails to draw */
  check_examples (self, settings, inputs, &n_drawn, &check_error);
  if (n_drawn == 0 && check_error != NULL)
    ok = FALSE;
  else
    {
      /* --weights all: every kind all the examples carry, one heatmap each */
      resolve_all_weights (self, inputs, &resolved);
      progress.total = inputs->len;
      ok = attn_figure_save_batch (&(AttnBatchRequest) { .inputs = (AttnFigureInput *) (gpointer) inputs->data,
                                   .n_inputs = n_drawn, .settings = &resolved, .style = style,
                                   .folder = folder, .format = format, .scale = scale,
                                   .width = self->width, .height = self->height,
                                   .folder_name = where },
                                   batch_progress_cb, &progress, &files, NULL, &error);
      batch_progress_end (&progress);
    }
  if (ok && check_error != NULL)
    ok = FALSE;
  if (!ok && error == NULL)
    /* translators: which figure of a batch failed; the reason follows */
    g_propagate_prefixed_error (&error, g_steal_pointer (&check_error), _("Figure %u of %u: "),
                                n_drawn + 1, inputs->len);

  /* as --output-dir was given (relative stays relative), unless a URI */
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      g_autofree char *base = g_file_get_basename (g_ptr_array_index (files, i));
      g_autofree char *path = g_uri_peek_scheme (self->output_dir) == NULL
                              ? g_build_filename (self->output_dir, base, NULL)
                              : g_file_get_path (g_ptr_array_index (files, i));
      g_autofree char *shown = attn_error_escape_text (path != NULL ? path : "", -1);

      g_string_append_printf (out, "%s\n", shown);
    }
  /* the figures saved before one that failed are listed too */
  if (!attn_cli_write_stdout (out, ok ? &error : NULL))
    ok = FALSE;
  if (!ok)
    return attn_cli_fail (COMMAND, error);

  g_printerr ("attnflow-cli " COMMAND ": ");
  /* translators: the number of figures and the folder they were saved in */
  g_printerr (ngettext ("%u figure saved in %s", "%u figures saved in %s", inputs->len),
              inputs->len, where);
  g_printerr ("\n");
  return ATTN_CLI_EXIT_OK;
}

/* FILE…: every document, its warnings printed; first, a folder of
 * --output-dir the figures cannot be saved in, or a file of --output the
 * figure cannot be saved to (its folder missing or read-only, a PNG too
 * large at --size and --scale), before the files are read and the figure
 * drawn */
static gboolean
load_documents (int                        argc,
                char                     **argv,
                const Render              *self,
                const AttnFigureSettings  *settings,
                AttnExportFormat           format,
                double                     scale,
                GPtrArray                 *documents,
                GError                   **error)
{
  if (self->output_dir != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_commandline_arg (self->output_dir);

      if (!attn_batch_check_folder (folder, self->output_dir, error))
        return FALSE;
    }
  if (self->output_dir == NULL && !attn_cli_check_output_folder (self->output, error))
    return FALSE;
  if (self->output_dir == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->output);
      g_autofree char *shown = attn_error_escape_text (self->output, -1);

      if (!attn_figure_check_save_at_size (settings, self->width, self->height, file, shown, format, scale,
                                           error))
        return FALSE;
    }
  for (int i = 1; i < argc; i++)
    {
      AttnDocument *document = attn_cli_load (COMMAND, argv[i], error);

      if (document == NULL)
        return FALSE;
      g_ptr_array_add (documents, document);
    }
  return TRUE;
}

/* The options of the node selected and the layers drawn */
static void
add_selection_entries (Render         *self,
                       GOptionContext *context)
{
  const GOptionEntry entries[] = {
    { "position", 0, 0, G_OPTION_ARG_STRING, &self->position,
      N_("Selected position (default the example’s focus); “none” draws the graph without a selection"),
      "P|none" },
    { "sink", 0, 0, G_OPTION_ARG_STRING, &self->sink,
      N_("Flow graph with a selected position: show its max-flow paths into input position J only"), "J" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &self->layer,
      N_("The selected node’s layer, from 1 (default the top layer drawn): the graph’s, or the one a heatmap’s sentence is coloured by"), "L" },
    { "layers", 0, 0, G_OPTION_ARG_STRING, &self->layers,
      N_("The layers drawn, FIRST-LAST from 1 (default all)"), "A-B" },
    { NULL }
  };

  attn_cli_add_entries (context, entries);
}

/* What saving the figure of @inputs to --output would refuse, before the
 * work (attn_figure_check_save()), naming it as given */
static gboolean
check_output (const Render              *self,
              GArray                    *inputs,
              const AttnFigureSettings  *settings,
              const AttnFigureStyle     *style,
              AttnExportFormat           format,
              double                     scale,
              GError                   **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->output);
  g_autofree char *shown = attn_error_escape_text (self->output, -1);

  return attn_figure_check_save ((AttnFigureInput *) (gpointer) inputs->data, inputs->len, settings, style,
                                 self->width, self->height, file, shown, format, scale, error);
}

/* Saves the figure to --output, a failure naming it as given */
static gboolean
save_output (const Render      *self,
             AttnFigure        *figure,
             AttnExportFormat   format,
             double             scale,
             GError           **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->output);
  g_autofree char *shown = attn_error_escape_text (self->output, -1);

  return attn_figure_save_named (figure, file, shown, format, scale, NULL, error);
}

int
attn_cli_render (int    argc,
                 char **argv)
{
  Render self = { .graph.several_weights = TRUE };
  const GOptionEntry entries[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, &self.view,
      N_("Method: raw, rollout, flow, or all three side by side (required)"), "raw|rollout|flow|all" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &self.output,
      N_("Output file; the format follows the extension (required, unless --output-dir)"), "OUT.{png,svg,pdf}" },
    { "output-dir", 0, 0, G_OPTION_ARG_FILENAME, &self.output_dir,
      N_("Save one figure per example into this folder, as ID-VIEW.FORMAT (instead of --output)"),
      "DIR" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &self.format,
      N_("File format with --output-dir: png (default), svg or pdf"), "png|svg|pdf" },
    { "figure", 0, 0, G_OPTION_ARG_STRING, &self.figure,
      N_("Figure: graph (default), heatmap or compare"), "graph|heatmap|compare" },
    { "example", 0, 0, G_OPTION_ARG_STRING_ARRAY, &self.examples,
      N_("Example id or 0-based index (default the first); repeat 2-4 times for compare, as FILE:ID or ID; “all” with --output-dir"),
      "ID|INDEX|FILE:ID" },
    { "threshold", 0, 0, G_OPTION_ARG_STRING, &self.threshold,
      N_("Hide graph edges below this fraction of the colour scale (default 0)"), "T" },
    { "top-k", 0, 0, G_OPTION_ARG_STRING, &self.top_k,
      N_("Draw only the K strongest edges of each node (default 0: all)"), "K" },
    { "colormap", 0, 0, G_OPTION_ARG_STRING, &self.colormap,
      N_("Colour map: viridis, cividis, magma, ink (default) or diverging"), "NAME" },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &self.scale,
      N_("PNG pixels per figure pixel (default 1; SVG and PDF are always 1x)"), "S" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &self.size,
      N_("Lay the figure out at this size in pixels, as the app shows it in a view of that size (graph of one method, heatmap, compare; default its natural size); a PNG is W×S by H×S pixels"),
      "WxH" },
    { "values", 0, 0, G_OPTION_ARG_NONE, &self.values,
      N_("Print the value in each heatmap cell"), NULL },
    { "exclude-special", 0, 0, G_OPTION_ARG_NONE, &self.exclude_special,
      N_("Leave special tokens and the selected token out of the colour scale"), NULL },
    { "color-scale", 0, 0, G_OPTION_ARG_STRING, &self.color_scale,
      N_("Graph colours: each layer to its own maximum (per-layer, default) or one range for all layers (global)"), "per-layer|global" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &self.dark,
      N_("Light text on a dark background"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_document_unref);
  g_autoptr(GArray) inputs = g_array_new (FALSE, TRUE, sizeof (AttnFigureInput));
  g_autoptr(AttnFigure) figure = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  AttnExportFormat format;
  double scale = 1.;
  gboolean usage;
  guint n_drawn;
  int status = ATTN_CLI_EXIT_USAGE;

  context = attn_cli_option_context_new (_("FILE… — save a figure as PNG, SVG or PDF"),
                                         _("Draws the graph, heatmap or comparison figure of "
                                           "raw attention, rollout or flow. --weights takes one "
                                           "kind; heatmaps and comparisons of one method also "
                                           "take a comma-separated list, or “all” (every kind "
                                           "the examples carry), side by side."),
                                         entries);
  add_selection_entries (&self, context);
  attn_cli_graph_settings_add_entries (&self.graph, context);
  if (!attn_cli_parse_options (context, COMMAND, &argc, &argv))
    goto out;

#define USAGE(...) do { status = attn_cli_usage_error (COMMAND, __VA_ARGS__); goto out; } while (0)
#define FAIL(err) do { status = attn_cli_fail (COMMAND, err); goto out; } while (0)

  if (argc < 2)
    USAGE ("%s", _("No input file given"));
  if (self.view == NULL)
    USAGE ("%s", _("--view is required (raw, rollout, flow or all)"));
  if (self.output == NULL && self.output_dir == NULL)
    USAGE ("%s", _("--output is required (a .png, .svg or .pdf file), or --output-dir for one figure per example"));
  if (!parse_figure (&self, &settings, &format, &error) ||
      !parse_style (&self, &style, &scale, &error) ||
      !parse_size (&self, &settings, &error) ||
      !parse_position (&self, &settings, &error) ||
      !parse_layers (&self, &settings, &error) ||
      find_file_given_twice (argc, argv, &error))
    USAGE ("%s", error->message);

  if (!load_documents (argc, argv, &self, &settings, format, format == ATTN_EXPORT_PNG ? scale : 1., documents,
                       &error))
    FAIL (error);

  if (self.output_dir != NULL)
    {
      status = render_batch (&self, documents, argv + 1, &settings, &style, format, scale);
      goto out;
    }
  if (!collect_inputs (&self, documents, argv + 1, &settings, inputs, &usage, &error))
    {
      if (usage)
        USAGE ("%s", error->message);
      FAIL (error);
    }
  if (!check_examples (&self, &settings, inputs, &n_drawn, &error))
    FAIL (error);

  resolve_all_weights (&self, inputs, &settings);
  /* a PNG too large, of any figure at any size: refused before the work */
  if (!check_output (&self, inputs, &settings, &style, format, format == ATTN_EXPORT_PNG ? scale : 1., &error) ||
      (figure = attn_figure_build_at_size ((AttnFigureInput *) (gpointer) inputs->data, inputs->len, &settings,
                                           &style, self.width, self.height, NULL, &error)) == NULL)
    FAIL (error);
  if (!save_output (&self, figure, format, format == ATTN_EXPORT_PNG ? scale : 1., &error))
    FAIL (error);

  status = ATTN_CLI_EXIT_OK;

out:
  render_clear (&self);
  return status;

#undef USAGE
#undef FAIL
}
