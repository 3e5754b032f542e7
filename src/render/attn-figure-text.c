/* attn-figure-text.c: a figure's settings as a caption and as a command line,
 * and a value as the views print it
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "attn-figure-private.h"

/* A caption names what the gradient was taken for by at most this many
 * characters of it as shown, its escapes whole (“norm of the top-layer
 * state of “his” (token 7)”: 46) */
#define TARGET_MAX_CHARS 120

guint
_attn_figure_resolve_position (const AttnFigureSettings *settings,
                               AttnExample              *example)
{
  if (settings->position >= 0)
    return (guint) settings->position;

  return attn_example_get_focus (example);
}

void
_attn_figure_resolve_layers (const AttnFigureSettings *settings,
                             guint                     L,
                             guint                    *first,
                             guint                    *last)
{
  attn_layer_range_resolve (settings->first_layer, settings->last_layer, L, first, last);
}

/**
 * attn_figure_settings_get_weight_kinds:
 *
 * Returns: the weight kinds a figure of @settings shows, 1 << kind each:
 *   @settings->weight_kinds when it names several, else @settings->weights
 */
guint
attn_figure_settings_get_weight_kinds (const AttnFigureSettings *settings)
{
  guint kinds;

  g_return_val_if_fail (settings != NULL, 0);

  kinds = settings->weight_kinds & ((1u << ATTN_N_WEIGHT_KINDS) - 1);
  /* one bit or none: the settings' weights alone */
  if ((kinds & (kinds - 1)) == 0)
    return 1u << settings->weights;
  return kinds;
}

/* The weights and α of a caption: nothing for the attention alone (the
 * paper's graph), "weights: GlobEnc · α does not apply (in the weights)",
 * "weights: Attention, GlobEnc, ALTI · α = 0.5 where it applies"; the
 * gradient-based kind with what the gradient was taken for, @target
 * ("weights: Attention × gradient (of norm of the top-layer state of “his”
 * (token 7)) · α = 0.5"), TARGET_EACH when the examples' targets differ */
static void
describe_weights (const AttnFigureSettings *settings,
                  const char               *target,
                  GString                  *out)
{
  guint kinds = attn_figure_settings_get_weight_kinds (settings);
  gboolean with_residual = FALSE, without_residual = FALSE;
  g_autoptr(GString) names = g_string_new (NULL);
  /* the file's text, as attnflow-cli info prints it: its bidi controls
   * reversed the caption, its line breaks broke it; shortened as shown,
   * in whole escapes (a raw target's own LRM, FSI … PDI were taken for the
   * isolate attn_text_from_file() sets, and its end shown after the “…”) */
  g_autofree char *from_file = target != NULL && target != TARGET_EACH ? attn_text_from_file (target) : NULL;
  g_autofree char *shown_target = from_file != NULL ? _attn_shorten_text (from_file, TARGET_MAX_CHARS) : NULL;

  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (kinds & (1u << k))
      {
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                                attn_weight_kind_get_label (k));
        if (k == ATTN_WEIGHT_KIND_ATTN_GRAD && target == TARGET_EACH)
          /* translators: after “Attention × gradient”: the examples compared
           * took the gradient of different things (see attnflow-cli info) */
          g_string_append (names, _(" (of each example’s own target)"));
        else if (k == ATTN_WEIGHT_KIND_ATTN_GRAD && target != NULL)
          /* translators: after “Attention × gradient”: what the gradient was
           * taken for, from the file, such as “norm of the top-layer state of
           * “his” (token 7)” or “logit of “his” at token 7” */
          g_string_append_printf (names, _(" (of %s)"), shown_target);
        if (attn_weight_kind_includes_residual (k))
          without_residual = TRUE;
        else
          with_residual = TRUE;
      }

  if (kinds != 1u << ATTN_WEIGHT_KIND_ATTENTION)
    {
      g_string_append (out, " · ");
      /* translators: %s is one or more weight kinds, such as "GlobEnc" or "Attention, ALTI" */
      g_string_append_printf (out, _("weights: %s"), names->str);
    }
  /* raw attention has no residual step */
  if (!settings->all_methods && settings->method == ATTN_METHOD_RAW)
    return;
  g_string_append (out, " · ");
  if (!with_residual)
    /* translators: the weights (GlobEnc, ALTI, Value Zeroing) already contain the residual */
    g_string_append (out, _("α does not apply (in the weights)"));
  else if (without_residual)
    /* translators: with several weight kinds side by side, some of which contain the residual */
    g_string_append_printf (out, _("α = %g where it applies"), settings->residual);
  else
    g_string_append_printf (out, _("α = %g"), settings->residual);
}

/* The heads of a caption: "heads: all (mean)"; for weights that @example
 * (nullable) carries without heads ([L][n][n]), whose heads controls are
 * greyed out, that they do not apply, as α does not for weights with the
 * residual in them */
static void
describe_heads (const AttnFigureSettings *settings,
                AttnExample              *example,
                GString                  *out)
{
  guint kinds = attn_figure_settings_get_weight_kinds (settings);
  gboolean with_heads = example == NULL, without_heads = FALSE;
  g_autofree char *heads = attn_heads_dup_canonical (settings->heads);
  const char *label = attn_heads_get_label (heads);
  const char *mix = attn_head_mix_get_label (settings->head_mix);

  for (guint k = 0; example != NULL && k < ATTN_N_WEIGHT_KINDS; k++)
    if (kinds & (1u << k))
      {
        if (attn_heads_apply_to (example, k))
          with_heads = TRUE;
        else
          without_heads = TRUE;
      }

  if (!with_heads)
    /* translators: the weights (such as ALTI) were given without heads: there are none to choose or mix */
    g_string_append (out, _("heads do not apply (weights without heads)"));
  else if (without_heads)
    /* translators: with several weight kinds side by side, some of which were given without heads */
    g_string_append_printf (out, _("heads: %s (%s) where they apply"), label, mix);
  else
    /* translators: the heads (“all” or indices such as 0,3), then how they are mixed */
    g_string_append_printf (out, _("heads: %s (%s)"), label, mix);
}

/* Whether a heatmap of layers up to @last is still filling in */
static gboolean
is_filling (const AttnFigureSettings *settings,
            guint                     last)
{
  return settings->layers_done > 0 && settings->layers_done < last;
}

/* The layers of a caption: "layers 1–12", "layer 12"; of a heatmap still
 * filling in, how far it has got: "layers 1–3 of 12 so far" ("of 5–12"
 * when the range starts higher); with All Methods, whose raw attention and
 * rollout are whole, "layers 1–12, flow's 1–3 so far" */
static void
describe_layers (const AttnFigureSettings *settings,
                 guint                     first,
                 guint                     last,
                 GString                  *out)
{
  guint done = settings->layers_done;
  gboolean filling = is_filling (settings, last);

  if (!filling || settings->all_methods)
    {
      if (first == last)
        g_string_append_printf (out, _("layer %u"), first);
      else
        g_string_append_printf (out, _("layers %u–%u"), first, last);
      done = MAX (done, first);
      if (filling && done == first)
        /* translators: after “layers 1–12” in a caption: flow's heatmap
         * filling in, bottom up, has its layer 1 */
        g_string_append_printf (out, _(", flow’s layer %u so far"), done);
      else if (filling)
        /* translators: after “layers 1–12” in a caption: flow's heatmap
         * filling in, bottom up, has its layers 1 to 3 */
        g_string_append_printf (out, _(", flow’s layers %u–%u so far"), first, done);
      return;
    }
  done = MAX (done, first);
  if (first == 1 && done == first)
    /* translators: a heatmap filling in, bottom up: layer 1 of the 12 it will show is there */
    g_string_append_printf (out, _("layer %u of %u so far"), done, last);
  else if (first == 1)
    /* translators: a heatmap filling in, bottom up: layers 1 to 3 of the 12 it will show are there */
    g_string_append_printf (out, _("layers %u–%u of %u so far"), first, done, last);
  else if (done == first)
    /* translators: a heatmap of layers 5 to 12 filling in, bottom up: layer 5 is there */
    g_string_append_printf (out, _("layer %u of %u–%u so far"), done, first, last);
  else
    /* translators: a heatmap of layers 5 to 12 filling in, bottom up: layers 5 to 7 are there */
    g_string_append_printf (out, _("layers %u–%u of %u–%u so far"), first, done, first, last);
}

/* @line (taken), and while a heatmap fills in, how far it has got, in its
 * caption's words ("… · layers 1–3 of 12 so far"; with All Methods "… ·
 * layers 1–12, flow’s layers 1–3 so far"): the line that names the token
 * in a panel too low for the caption (at n = 1024 the panel filled in
 * for seconds with nothing to say it was not whole) */
char *
_attn_figure_add_filling (const AttnFigureSettings *settings,
                          guint                     first,
                          guint                     last,
                          char                     *line)
{
  GString *out;

  if (!is_filling (settings, last))
    return line;
  out = g_string_new (line);
  g_string_append (out, " · ");
  describe_layers (settings, first, last, out);
  g_free (line);
  return g_string_free (out, FALSE);
}

/**
 * attn_figure_describe_settings:
 * @settings: the settings
 * @example: (nullable): the example, for its name and the selected token
 *
 * Returns: (transfer full): one line with the settings of a figure, e.g.
 *   "Attention rollout · α = 0.5 · heads: all (mean) · layers 1–12 · node:
 *   layer 12, position 0 “[CLS]” · example cat-mat"; the caption of saved
 *   figures. Weights other than the attention are named after the method
 *   ("Attention flow · weights: ALTI · α does not apply (in the weights) · …"),
 *   “Attention × gradient” with what the example's gradient was taken for
 *   (its `contributions_target`)
 */
char *
attn_figure_describe_settings (const AttnFigureSettings *settings,
                               AttnExample              *example)
{
  return _attn_figure_describe_settings_for (settings, example,
                                             example != NULL
                                             ? attn_example_get_contributions_target (example)
                                             : NULL);
}

/* @text (an example's id, a model's or a file's name: any bytes) for one
 * line of a title or caption: escaped and shortened as a message quotes it
 * (attn_error_quote_text()), set as a file's text is (attn_text_from_file()) */
char *
_attn_caption_text (const char *text)
{
  g_autofree char *quoted = attn_error_quote_text (text);

  return attn_text_from_file (quoted);
}

/* Appends to @out “ · model: NAME” for the models @examples come from (the
 * `model` of their files), “ · models: A, B” when they differ; nothing when
 * none names one. The caption of a printed figure says which model it is. */
void
_attn_figure_append_models (GString            *out,
                            AttnExample * const *examples,
                            guint               n_examples)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) list = g_string_new (NULL);
  const char *format, *spec;

  for (guint i = 0; i < n_examples; i++)
    {
      const char *model = attn_example_get_model (examples[i]);
      gboolean seen = FALSE;

      for (guint j = 0; model != NULL && j < i; j++)
        seen |= g_strcmp0 (attn_example_get_model (examples[j]), model) == 0;
      if (model == NULL || seen || *model == '\0')
        continue;
      if (models->len > 0)
        g_string_append (list, ", ");
      g_ptr_array_add (models, _attn_caption_text (model));
      g_string_append (list, g_ptr_array_index (models, models->len - 1));
    }
  if (models->len == 0)
    return;
  g_string_append (out, " · ");
  format = _attn_models_format (models->len > 1);
  spec = strstr (format, "%s");
  /* the label, the names in place of its %s */
  g_string_append_len (out, format, spec != NULL ? spec - format : (gssize) strlen (format));
  g_string_append (out, list->str);
  if (spec != NULL)
    g_string_append (out, spec + strlen ("%s"));
}

/**
 * _attn_models_format:
 * @several: for the models of compared examples that differ
 *
 * Returns: the format of the part of a caption that names the model
 *   (“model: %s”) or the models (“models: %s”), translated
 */
const char *
_attn_models_format (gboolean several)
{
  if (!several)
    /* translators: the model the attention was exported from, as its file names it */
    return _("model: %s");
  /* translators: the models the compared examples come from, “A, B” */
  return _("models: %s");
}

/* The name of the file of @example (@path's base name where it has none,
 * or %NULL) */
static const char *
file_name_of (AttnExample *example,
              const char  *path,
              char       **base)
{
  if (attn_example_get_file_name (example) != NULL)
    return attn_example_get_file_name (example);
  if (path == NULL)
    return NULL;
  *base = g_filename_display_basename (path);
  return *base;
}

/* Sets @fig's source (its metadata: the model and file of each example) from
 * @inputs (the files given, told apart by their folders where two share a
 * name, as the comparison's headings do) */
void
_attn_figure_set_source (AttnFigure            *fig,
                         const AttnFigureInput *inputs,
                         guint                  n_inputs)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) examples = g_ptr_array_new ();
  g_auto(GStrv) distinct = NULL;
  g_autoptr(GString) source = g_string_new (NULL);

  for (guint i = 0; i < n_inputs; i++)
    {
      g_ptr_array_add (examples, inputs[i].example);
      if (inputs[i].path != NULL)
        g_ptr_array_add (paths, (gpointer) inputs[i].path);
    }
  g_ptr_array_add (paths, NULL);
  if (paths->len == n_inputs + 1 && n_inputs > 1)
    distinct = attn_file_names_distinct ((const char * const *) paths->pdata);
  for (guint i = 0; i < n_inputs; i++)
    {
      g_autofree char *base = NULL;
      const char *name = distinct != NULL ? distinct[i]
                                          : file_name_of (inputs[i].example, inputs[i].path, &base);
      gboolean seen = FALSE;

      for (guint j = 0; name != NULL && j < files->len; j++)
        seen |= strcmp (g_ptr_array_index (files, j), name) == 0;
      if (name != NULL && !seen)
        g_ptr_array_add (files, _attn_caption_text (name));
    }

  _attn_figure_append_models (source, (AttnExample * const *) examples->pdata, n_inputs);
  if (files->len > 0)
    {
      gboolean several = files->len > 1;
      g_autofree char *list = NULL;

      g_ptr_array_add (files, NULL);
      list = g_strjoinv (", ", (char **) files->pdata);
      g_free (fig->files);
      /* translators: the export file(s) a figure was drawn from, in its metadata */
      fig->files = g_strdup_printf (several ? _("files: %s") : _("file: %s"), list);
      g_string_append_printf (source, " · %s", fig->files);
    }
  g_free (fig->source);
  fig->source = source->len > 0 ? g_strdup (source->str + strlen (" · ")) : NULL;
}

const char _attn_figure_target_each[] = "";

/* The gradient target of @n_inputs examples for their caption: theirs when
 * they all name the same one (or none), else TARGET_EACH. */
const char *
_attn_figure_common_target (const AttnFigureInput *inputs,
                            guint                  n_inputs)
{
  const char *target = n_inputs > 0 ? attn_example_get_contributions_target (inputs[0].example)
                                    : NULL;

  for (guint i = 1; i < n_inputs; i++)
    if (g_strcmp0 (attn_example_get_contributions_target (inputs[i].example), target) != 0)
      return TARGET_EACH;
  return target;
}

/* attn_figure_describe_settings() naming @target (nullable, or
 * TARGET_EACH) as what the gradient of “Attention × gradient” was taken for */
char *
_attn_figure_describe_settings_for (const AttnFigureSettings *settings,
                                    AttnExample              *example,
                                    const char               *target)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (settings != NULL, NULL);

  if (settings->all_methods)
    g_string_append (out, _("Raw attention, rollout and flow"));
  else
    g_string_append (out, attn_method_get_label (settings->method));

  describe_weights (settings, target, out);
  g_string_append (out, " · ");
  describe_heads (settings, example, out);

  if (example != NULL)
    {
      guint L = attn_example_get_n_layers (example);
      guint first, last;
      /* an id of 100,000 characters made the caption as long */
      g_autofree char *name = _attn_caption_text (attn_example_get_label (example));

      _attn_figure_resolve_layers (settings, L, &first, &last);
      g_string_append (out, " · ");
      describe_layers (settings, first, last, out);

      if (settings->kind == ATTN_FIGURE_COMPARE)
        g_string_append_printf (out, " · %s", _("each example at its focus token"));
      else if (settings->kind == ATTN_FIGURE_GRAPH && settings->position == ATTN_POSITION_NONE)
        g_string_append_printf (out, " · %s", _("no node selected"));
      else
        {
          guint p = _attn_figure_resolve_position (settings, example);
          guint layer = settings->kind == ATTN_FIGURE_GRAPH && settings->layer > 0
                        ? MIN (settings->layer, L) : last;
          g_autofree char *tok = attn_token_display (p < attn_example_get_n_tokens (example)
                                                      ? attn_example_get_token (example, p) : "");

          g_string_append (out, " · ");
          if (settings->kind == ATTN_FIGURE_GRAPH)
            g_string_append_printf (out, _("node: layer %u, position %u “%s”"), layer, p, tok);
          else
            g_string_append_printf (out, _("position %u “%s”"), p, tok);
          if (settings->kind == ATTN_FIGURE_GRAPH && settings->sink >= 0
              && (guint) settings->sink < attn_example_get_n_tokens (example))
            {
              g_autofree char *sink = attn_token_display (attn_example_get_token (example, settings->sink));

              g_string_append (out, " · ");
              g_string_append_printf (out, _("paths to input %d “%s”"), settings->sink, sink);
            }
        }

      if (settings->kind != ATTN_FIGURE_COMPARE)
        {
          g_string_append (out, " · ");
          g_string_append_printf (out, _("example %s"), name);
          /* what the dashed outlines and rings mark (a comparison's
           * antecedent panels say it in their heading) */
          if (attn_example_get_n_antecedents (example) > 0)
            g_string_append_printf (out, " · %s", _("dashed: the candidate antecedents"));
          _attn_figure_append_models (out, &example, 1);
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * _attn_graph_caption:
 * @scene: the graph drawn
 * @style: its threshold and top-k, as drawn
 *
 * Returns: (transfer full) (nullable): the scene's caption and what the
 *   drawing leaves out (the edges below the threshold or past each node's
 *   strongest: “edges ≥ 0.02 × max, top 8 per node”, the screen's defaults
 *   included) and one colour range for all layers where the scale is not
 *   per layer; the caption of the graph on screen and of its saved figure
 */
char *
_attn_graph_caption (const AttnGraphScene  *scene,
                     const AttnFigureStyle *style)
{
  return _attn_graph_caption_of (scene, attn_graph_scene_get_caption (scene), style);
}

/* _attn_graph_caption() of @caption (another caption of @scene: the one a
 * click may bring) */
char *
_attn_graph_caption_of (const AttnGraphScene  *scene,
                        const char            *caption,
                        const AttnFigureStyle *style)
{
  AttnExample *example = attn_graph_scene_get_example (scene);
  guint n = example != NULL ? attn_example_get_n_tokens (example) : 0;
  gboolean threshold = style->threshold > 0., top_k = style->top_k > 0 && style->top_k < n;
  GString *out;

  if (caption == NULL)
    return NULL;
  out = g_string_new (caption);
  if (threshold || top_k)
    g_string_append (out, " · ");
  if (threshold && top_k)
    /* translators: edges weaker than this fraction of the colour scale's
     * maximum, and all but each node's strongest edges, are not drawn */
    g_string_append_printf (out, _("edges ≥ %g × max, top %u per node"), style->threshold, style->top_k);
  else if (threshold)
    /* translators: edges weaker than this fraction of the colour scale's maximum are not drawn */
    g_string_append_printf (out, _("edges ≥ %g × max"), style->threshold);
  else if (top_k)
    /* translators: only each node's strongest edges are drawn */
    g_string_append_printf (out, _("top %u edges per node"), style->top_k);
  if (attn_graph_scene_get_color_scale (scene) == ATTN_COLOR_SCALE_GLOBAL)
    {
      g_string_append (out, " · ");
      /* translators: the graph's colours: one range for every layer, not each layer its own */
      g_string_append (out, _("one colour range for all layers"));
    }
  return g_string_free (out, FALSE);
}

static void
append_arg (GString    *out,
            const char *arg)
{
  g_autofree char *quoted = g_shell_quote (arg);

  g_string_append_c (out, ' ');
  /* Plain words stay unquoted, for readability. */
  if (strspn (arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,/:=+@")
      == strlen (arg) && *arg != '\0')
    g_string_append (out, arg);
  else
    g_string_append (out, quoted);
}

/* --weights, unless the settings show attention only; "all" for every kind
 * the examples carry (with --heads, those that have them, and the figure
 * names the others: a list gave no such note) */
static void
append_weights (GString                  *out,
                const AttnFigureSettings *settings)
{
  guint kinds = attn_figure_settings_get_weight_kinds (settings);
  g_autofree char *names = NULL;

  if (settings->all_weights && !settings->all_methods && settings->kind != ATTN_FIGURE_GRAPH)
    {
      append_arg (out, "--weights");
      append_arg (out, "all");
      return;
    }
  if (kinds == 1u << ATTN_WEIGHT_KIND_ATTENTION)
    return;
  names = attn_weight_kinds_join (kinds, ",");
  append_arg (out, "--weights");
  append_arg (out, names);
}

/**
 * attn_format_value:
 * @value: an attention weight or importance
 *
 * @value as the views print it: with four decimals where that shows it
 * (|@value| >= 0.001, or 0: "0.0730", "0.5000", "0.0000"), else in three
 * significant digits with a decimal exponent, as printf()'s "%.2e" writes
 * it but with a real minus sign, U+2212 ("6.50e−04", "1.00e−09"), where
 * four decimals would print 0.0007 or 0.0000 on a long input. A negative
 * value gets the same minus sign in either form ("−0.5000", "−6.50e−04");
 * the decimal point is the locale's, as printf() writes it.
 *
 * Returns: (transfer full): the text
 */
char *
attn_format_value (double value)
{
  if (value == 0. || !(fabs (value) < 0.001))
    return g_strdup_printf ("%s%.4f", value < 0. ? "−" : "", fabs (value));
  return _attn_format_exponent (value, 2);
}

/* --position (not for a comparison, where each example shows its focus);
 * --layers when the figure draws some of the layers, --layer when the
 * selected node is not at the top one */
static void
append_selection (GString                  *out,
                  const AttnFigureSettings *settings,
                  AttnExample              *example)
{
  guint L = attn_example_get_n_layers (example);
  guint first, last;

  if (settings->kind != ATTN_FIGURE_COMPARE)
    {
      append_arg (out, "--position");
      if (settings->position == ATTN_POSITION_NONE)
        append_arg (out, "none");
      else
        {
          g_autofree char *p = g_strdup_printf ("%u", _attn_figure_resolve_position (settings, example));

          append_arg (out, p);
        }
    }
  _attn_figure_resolve_layers (settings, L, &first, &last);
  if (first != 1 || last != L)
    {
      g_autofree char *range = g_strdup_printf ("%u-%u", first, last);

      append_arg (out, "--layers");
      append_arg (out, range);
    }
  if (settings->kind != ATTN_FIGURE_COMPARE && settings->position != ATTN_POSITION_NONE &&
      settings->layer > 0 && MIN (settings->layer, L) != last)
    {
      g_autofree char *layer = g_strdup_printf ("%u", MIN (settings->layer, L));

      append_arg (out, "--layer");
      append_arg (out, layer);
    }
}

/* render's --figure name of @kind, or NULL when render cannot draw it. A
 * switch without default: a new AttnFigureKind is a -Wswitch warning here. */
static const char *
figure_name (AttnFigureKind kind)
{
  switch (kind)
    {
    case ATTN_FIGURE_GRAPH:
      return "graph";
    case ATTN_FIGURE_HEATMAP:
      return "heatmap";
    case ATTN_FIGURE_COMPARE:
      return "compare";
    case ATTN_FIGURE_EVALUATION:
      return NULL;
    }
  return NULL;
}

/* The captions a graph of @settings may get (AttnGraphSceneOptions:
 * caption_room): those of a click on @example's longest token at its top
 * layer, with a sink on it, in every method and under every weight kind
 * the example carries (and, while its layers fill in, of the layers so
 * far): switching methods or weights moves no node. The session's scenes
 * and the graph figures of attn_figure_build() keep the same room, so
 * that both lay out alike at a size. */
char **
_attn_caption_room (const AttnFigureSettings *settings,
                    AttnExample              *example)
{
  char **room = g_new0 (char *, 2 * ATTN_N_METHODS * ATTN_N_WEIGHT_KINDS + 1);
  AttnFigureSettings clicked = *settings;
  guint i = 0;

  clicked.kind = ATTN_FIGURE_GRAPH;
  clicked.all_methods = FALSE;
  clicked.layer = attn_example_get_n_layers (example);
  clicked.position = (int) _attn_longest_token (example);
  clicked.sink = clicked.position;
  for (AttnWeightKind k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (k == settings->weights || attn_example_has_weights (example, k))
      for (clicked.method = 0; clicked.method < ATTN_N_METHODS; clicked.method++)
        {
          clicked.weights = k;
          clicked.layers_done = 0;
          room[i++] = attn_figure_describe_settings (&clicked, example);
          if (settings->layers_done > 0)
            {
              clicked.layers_done = settings->layers_done;
              room[i++] = attn_figure_describe_settings (&clicked, example);
            }
        }
  return room;
}

/**
 * attn_figure_command_line:
 * @inputs: (array length=n_inputs): the examples shown, with their files
 * @settings: the settings
 * @style: (nullable): for --threshold, --top-k and --colormap
 * @output: (nullable): the output file; "figure.png" when %NULL
 * @scale: PNG scale (1 omits --scale)
 * @width: the size the figure is laid out at (`--size WIDTHxHEIGHT`), in
 *   pixels at 1x; 0 (either) omits --size: the natural size
 * @height:
 *
 * Returns: (transfer full): the `attnflow-cli render …` line that draws the
 *   same figure (the app's "Copy command")
 */
char *
attn_figure_command_line (const AttnFigureInput    *inputs,
                          guint                     n_inputs,
                          const AttnFigureSettings *settings,
                          const AttnFigureStyle    *style,
                          const char               *output,
                          double                    scale,
                          int                       width,
                          int                       height)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  GString *out = g_string_new ("attnflow-cli render");
  g_autofree char *heads = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (inputs != NULL && n_inputs > 0, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (figure_name (settings->kind) != NULL, NULL);

  for (guint i = 0; i < n_inputs; i++)
    {
      const char *path = inputs[i].path != NULL ? inputs[i].path : "FILE.json";
      gboolean seen = FALSE;

      for (guint j = 0; j < files->len; j++)
        seen |= g_strcmp0 (g_ptr_array_index (files, j), path) == 0;
      if (!seen)
        g_ptr_array_add (files, (gpointer) path);
    }
  for (guint j = 0; j < files->len; j++)
    append_arg (out, g_ptr_array_index (files, j));

  append_arg (out, "--view");
  append_arg (out, settings->all_methods ? "all" : attn_method_get_name (settings->method));
  append_arg (out, "--figure");
  append_arg (out, figure_name (settings->kind));

  for (guint i = 0; i < n_inputs; i++)
    {
      const char *name = attn_example_get_label (inputs[i].example);
      g_autofree char *arg = NULL;

      if (settings->kind == ATTN_FIGURE_COMPARE && files->len > 1)
        arg = g_strdup_printf ("%s:%s", inputs[i].path != NULL ? inputs[i].path : "FILE.json", name);
      else
        arg = g_strdup (name);
      append_arg (out, "--example");
      append_arg (out, arg);
      if (settings->kind != ATTN_FIGURE_COMPARE)
        break;
    }

  append_selection (out, settings, inputs[0].example);

  append_weights (out, settings);
  append_arg (out, "--residual");
  append_arg (out, attn_format_setting (buf, settings->residual));
  append_arg (out, "--heads");
  heads = attn_heads_dup_canonical (settings->heads);
  append_arg (out, heads);
  append_arg (out, "--head-mix");
  append_arg (out, settings->head_mix == ATTN_HEAD_MIX_MAX ? "max" : "mean");

  if (style != NULL)
    {
      if (style->threshold > 0.)
        {
          append_arg (out, "--threshold");
          append_arg (out, attn_format_setting (buf, style->threshold));
        }
      if (style->top_k > 0)
        {
          g_autofree char *k = g_strdup_printf ("%u", style->top_k);

          append_arg (out, "--top-k");
          append_arg (out, k);
        }
      if (style->colormap != NULL)
        {
          append_arg (out, "--colormap");
          append_arg (out, attn_colormap_get_name (style->colormap));
        }
    }

  if (settings->kind == ATTN_FIGURE_GRAPH && settings->sink >= 0 && settings->position != ATTN_POSITION_NONE
      && (settings->all_methods || settings->method == ATTN_METHOD_FLOW))
    {
      g_autofree char *j = g_strdup_printf ("%d", settings->sink);

      append_arg (out, "--sink");
      append_arg (out, j);
    }
  if (style != NULL && style->exclude_special)
    append_arg (out, "--exclude-special");
  if (style != NULL && settings->kind == ATTN_FIGURE_GRAPH && style->color_scale != ATTN_COLOR_SCALE_PER_LAYER)
    {
      append_arg (out, "--color-scale");
      append_arg (out, attn_color_scale_get_name (style->color_scale));
    }
  if (style != NULL && style->show_values)
    append_arg (out, "--values");
  if (style != NULL && style->dark)
    append_arg (out, "--dark");

  if (scale != 1. && scale > 0.)
    {
      append_arg (out, "--scale");
      append_arg (out, attn_format_setting (buf, scale));
    }
  if (width > 0 && height > 0)
    {
      g_autofree char *size = g_strdup_printf ("%dx%d", width, height);

      append_arg (out, "--size");
      append_arg (out, size);
    }
  append_arg (out, "--output");
  append_arg (out, output != NULL ? output : "figure.png");

  return g_string_free (out, FALSE);
}

/* Every weight kind with a head subset: the kinds all examples carry but
 * without those heads (attn_heads_get_weight_kinds()), left out of a
 * heatmap or comparison of @inputs; or NULL */
char *
_attn_figure_left_out_kinds (const AttnFigureSettings *settings,
                             const AttnFigureInput    *inputs,
                             guint                     n_inputs)
{
  guint left = (1u << ATTN_N_WEIGHT_KINDS) - 1;
  g_autofree char *heads = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  if (!settings->all_weights || settings->all_methods)
    return NULL;
  for (guint e = 0; e < n_inputs; e++)
    left &= attn_example_get_weight_kinds (inputs[e].example);
  left &= ~attn_figure_settings_get_weight_kinds (settings);
  if (left == 0)
    return NULL;
  for (guint k = 0; k < ATTN_N_WEIGHT_KINDS; k++)
    if (left & (1u << k))
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", attn_weight_kind_get_label (k));
  heads = attn_heads_dup_canonical (settings->heads);
  /* translators: under a heatmap of every weight kind, with some heads
   * chosen: "Left out for heads 0,1,2,3, which they do not have:
   * Norm-based, GlobEnc" (kinds exported head-mixed, [L][n][n], have none) */
  return g_strdup_printf (_("Left out for heads %s, which they do not have: %s"), heads, names->str);
}
