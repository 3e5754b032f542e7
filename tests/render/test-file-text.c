/* test-file-text.c: a file's text and tokens as the figures draw them:
 * shortened in whole escapes, invisible characters shown as attnflow-cli
 * prints them
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <pango/pangocairo.h>

#include "attn-core.h"
#include "attn-figure-private.h"
#include "attn-render-private.h"
#include "attn-render.h"

/* @n copies of @text, then @tail */
static char *
repeated (const char *text,
          guint       n,
          const char *tail)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, text);
  g_string_append (out, tail);
  return g_string_free (out, FALSE);
}

/* A document of @json, its only example */
static AttnExample *
load_example (const char    *json,
              AttnDocument **document)
{
  g_autoptr(GError) error = NULL;

  *document = attn_document_load_from_data (json, strlen (json), NULL, NULL, &error);
  g_assert_no_error (error);
  return attn_document_get_example (*document, 0);
}

/* An example of @n_tokens @tokens, one layer of uniform attention, with
 * @extra members (“"text": …, ”) */
static char *
example_json (const char * const *tokens,
              guint               n_tokens,
              const char         *extra)
{
  GString *json = g_string_new ("{\"id\": \"ex\", ");

  g_string_append_printf (json, "%s\"tokens\": [", extra);
  for (guint i = 0; i < n_tokens; i++)
    g_string_append_printf (json, "%s\"%s\"", i > 0 ? ", " : "", tokens[i]);
  g_string_append (json, "], \"attention\": [[[");
  for (guint r = 0; r < n_tokens; r++)
    {
      g_string_append (json, r > 0 ? "], [" : "[");
      for (guint c = 0; c < n_tokens; c++)
        g_string_append_printf (json, "%s%g", c > 0 ? ", " : "", 1. / n_tokens);
    }
  g_string_append (json, "]]]]}");
  return g_string_free (json, FALSE);
}

/* The texts of @fig's labels of @kind, by their index (the first of an
 * index; NULL where none has it), up to @n */
static GStrv
label_texts (AttnFigure    *fig,
             AttnLabelKind  kind,
             guint          n)
{
  GStrv texts = g_new0 (char *, n + 1);

  for (guint i = 0; i < attn_figure_get_n_labels (fig); i++)
    {
      const AttnLabel *label = attn_figure_get_label (fig, i);

      if (label->kind == kind && label->index < n && texts[label->index] == NULL)
        texts[label->index] = g_strdup (label->text);
    }
  return texts;
}

/* Shortening a file's text as shown (attn_text_from_file()) cuts it
 * between escapes, never in one: “\x1…”, “\u20…” read as neither the
 * character nor the text; text without escapes is cut as before */
static void
test_shorten_whole_escapes (void)
{
  const struct { const char *text; glong max_chars; const char *shown; } cases[] = {
    { "abcdef", 4, "abc…" },
    { "abcd", 4, "abcd" },
    /* “\x1b” would be cut after “\x1” */
    { "ab\\x1bcd", 5, "ab…" },
    { "ab\\x1bcd", 7, "ab\\x1b…" },
    { "ab\\u202ecd", 6, "ab…" },
    { "ab\\u202ecd", 9, "ab\\u202e…" },
    { "ab\\U000e0041cd", 12, "ab…" },
    { "ab\\U000e0041cd", 13, "ab\\U000e0041…" },
    { "ab\\ncd", 3, "ab…" },
    { "ab\\ncd", 5, "ab\\n…" },
    /* a backslash that starts no escape is one character */
    { "ab\\zcd", 5, "ab\\z…" },
    { "ab\\x1", 4, "ab\\…" },
    /* in our isolate, which it keeps */
    { "\u200e\u2068\u05e9\\u202e\u05dc\u05d5\u2069", 5, "\u200e\u2068\u05e9…\u2069" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = _attn_shorten_text (cases[i].text, cases[i].max_chars);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
}

/* The figure of @settings of @n_inputs (one or two) copies of the example
 * of @json, from @document */
static AttnFigure *
build_figure (const char          *json,
              AttnFigureSettings  *settings,
              guint                n_inputs,
              AttnDocument       **document)
{
  AttnExample *example = load_example (json, document);
  AttnFigureInput inputs[] = { { example, NULL }, { example, NULL } };
  AttnFigureStyle style;
  g_autoptr(GError) error = NULL;
  AttnFigure *fig;

  attn_figure_style_init (&style, FALSE);
  fig = attn_figure_build (inputs, n_inputs, settings, &style, NULL, &error);
  g_assert_no_error (error);
  return fig;
}

/* A comparison's column head shows the example's text (90 characters at
 * most) and a heatmap's prediction bar the label (MAX_LABEL, 40) escaped
 * as attnflow-cli prints them (attn_error_escape_text()), shortened in
 * whole escapes: a control, bidi control or zero-width space across the
 * cut was drawn as “\x0…”, “\u20…”, “\u…” */
static void
test_shortened_text (void)
{
  /* the figure, its text (so many “a”, then @json, as JSON writes it) and
   * as it shows it (after the “a”) */
  const struct { AttnFigureKind kind; guint before; const char *json; const char *tail; } cases[] = {
    { ATTN_FIGURE_COMPARE, 86, "\\u0007bbbbbbbbbb", "…" },
    { ATTN_FIGURE_COMPARE, 85, "\\u202ebbbbbbbbbb", "…" },
    { ATTN_FIGURE_COMPARE, 88, "\\nbbbbbbbbbb", "…" },
    { ATTN_FIGURE_COMPARE, 80, "\\u0007bbbbbbbbbb", "\\x07bbbbb…" },
    { ATTN_FIGURE_COMPARE, 83, "\\u202ebbbbbbbbbb", "\\u202e…" },
    { ATTN_FIGURE_HEATMAP, 37, "\\u200bcd", "…" },
    { ATTN_FIGURE_HEATMAP, 34, "\\u202ecdef", "…" },
    { ATTN_FIGURE_HEATMAP, 30, "\\u202ecdefghij", "\\u202ecde…" },
    { ATTN_FIGURE_HEATMAP, 30, "\\u0007b", "\\x07b" },
  };
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;

  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 1;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean head = cases[i].kind == ATTN_FIGURE_COMPARE;
      g_autofree char *text = repeated ("a", cases[i].before, cases[i].json);
      g_autofree char *extra = head ? g_strdup_printf ("\"text\": \"%s\", ", text)
                                    : g_strdup_printf ("\"prediction\": {\"label\": \"%s\", \"candidates\": ["
                                                       "{\"label\": \"%s\", \"probability\": 0.75}, "
                                                       "{\"label\": \"no\", \"probability\": 0.25}]}, ", text, text);
      const char *tokens[] = { "[CLS]", "cat", "[SEP]" };
      g_autofree char *json = example_json (tokens, G_N_ELEMENTS (tokens), extra);
      g_autoptr(AttnDocument) document = NULL;
      g_autoptr(AttnFigure) fig = NULL;
      g_autofree char *shown = repeated ("a", cases[i].before, cases[i].tail);
      AttnExample *example;
      const char *raw;
      g_autofree char *cli = NULL;

      settings.kind = cases[i].kind;
      fig = build_figure (json, &settings, head ? 2 : 1, &document);
      example = attn_document_get_example (document, 0);
      if (head)
        {
          g_autofree char *expected = g_strconcat ("ex: ", shown, NULL);

          g_auto(GStrv) titles = label_texts (fig, ATTN_LABEL_TITLE, 2);

          g_assert_cmpstr (titles[1], ==, expected);
          raw = attn_example_get_text (example);
        }
      else
        {
          g_auto(GStrv) bars = label_texts (fig, ATTN_LABEL_PREDICTION, 2);

          g_assert_cmpstr (bars[0], ==, shown);
          g_assert_cmpstr (bars[1], ==, "no");
          raw = attn_example_get_candidate (example, 0)->label;
        }
      /* what the CLI prints, up to the ellipsis */
      cli = attn_error_escape_text (raw, -1);
      if (g_str_has_suffix (shown, "…"))
        g_assert_true (strncmp (cli, shown, strlen (shown) - strlen ("…")) == 0);
      else
        g_assert_cmpstr (cli, ==, shown);
      g_assert_cmpuint (g_utf8_strlen (shown, -1), <=, head ? 90 : 40);
    }
}

/* A gradient target in the caption is shortened as shown, the bidi
 * controls it starts and ends with shown too, as attnflow-cli prints them:
 * they were taken for the figure's own isolate around it, and the caption
 * read “(of \u200e\u2068aaa…\u2069)”, the text's end after the ellipsis */
static void
test_caption_target (void)
{
  g_autofree char *target = repeated ("a", 200, "\\u2069");
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"t\", \"tokens\": [\"a\", \"b\", \"c\"], "
    "\"attention\": [[[[0.4, 0.3, 0.3], [0.3, 0.4, 0.3], [0.3, 0.3, 0.4]]]], "
    "\"contributions\": {\"attn-grad\": [[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]}, "
    "\"contributions_target\": \"\\u200e\\u2068%s\"}", target);
  g_autofree char *cut = repeated ("a", 107, "…)");
  g_autofree char *expected = g_strconcat (" (of \\u200e\\u2068", cut, NULL);
  g_autoptr(AttnDocument) document = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  g_autoptr(AttnFigure) fig = NULL;

  settings.kind = ATTN_FIGURE_GRAPH;
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.weights = ATTN_WEIGHT_KIND_ATTN_GRAD;
  fig = build_figure (json, &settings, 1, &document);
  g_assert_nonnull (strstr (attn_figure_get_caption (fig), expected));
}

/* A token shortened to fit a low view (bound_token_labels()) is cut
 * between the escapes of its bidi controls, never in one (“ab\u2…”) */
static void
test_graph_token_fitted (void)
{
  const char *tokens[] = { "ab\\u202e\\u202e\\u202e\\u202e\\u202e\\u202e\\u202e\\u202e", "the", "cat", "[SEP]" };
  g_autofree char *json = example_json (tokens, G_N_ELEMENTS (tokens), "");
  g_autoptr(AttnDocument) document = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;
  AttnFigureStyle style;
  g_autoptr(AttnFigure) fig = NULL;
  g_autoptr(AttnGraphLayout) low = NULL;
  g_auto(GStrv) labels = NULL;
  const char *whole = "ab\\u202e\\u202e\\u202e\\u202e\\u202e\\u202e\\u202e\\u202e";
  const char *shown;
  gsize kept;

  attn_figure_style_init (&style, FALSE);
  settings.kind = ATTN_FIGURE_GRAPH;
  settings.method = ATTN_METHOD_FLOW;
  settings.position = ATTN_POSITION_NONE;
  fig = build_figure (json, &settings, 1, &document);
  labels = label_texts (fig, ATTN_LABEL_TOKEN_BOTTOM, 1);
  g_assert_cmpstr (labels[0], ==, whole);
  low = attn_graph_layout_new_for_scene (attn_figure_get_graph_scene (fig, 0), &style, TRUE, 909., 120.);
  shown = attn_graph_layout_get_token (low, 0);
  g_test_message ("fitted: %s", shown);
  g_assert_true (g_str_has_suffix (shown, "…"));
  kept = strlen (shown) - strlen ("…");
  g_assert_cmpuint (kept, <, strlen (whole));
  g_assert_true (strncmp (shown, whole, kept) == 0);
  /* “ab” and whole escapes */
  g_assert_cmpuint (kept, >=, 2);
  g_assert_cmpuint ((kept - 2) % strlen ("\\u202e"), ==, 0);
}

/* The lines Pango sets @text in */
static int
line_count (const char *text)
{
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  PangoLayout *layout = pango_layout_new (context);
  int lines;

  pango_layout_set_text (layout, text, -1);
  lines = pango_layout_get_line_count (layout);
  g_object_unref (layout);
  g_object_unref (context);
  return lines;
}

/* A token's invisible characters are drawn as attnflow-cli prints them, as
 * its bidi controls were: a zero-width space (U+200B) made “a\u200bb” look
 * as “ab”, a word joiner (U+2060) alone drew nothing, a line or paragraph
 * separator (U+2028, U+2029) set the label in two lines. The markers of
 * subwords (##, Ġ, ▁), CJK, accents and an emoji's joiner are drawn as
 * they are. In the graph's labels, its title, the heatmap's column labels
 * and sentence. */
static void
test_token_invisible (void)
{
  /* as JSON writes them, as drawn */
  const char *tokens[][2] = {
    { "[CLS]", "[CLS]" },
    { "a\\u200bb", "a\\u200bb" },
    { "x\\u2028y", "x\\u2028y" },
    { "p\\u2029q", "p\\u2029q" },
    { "\\u2060", "\\u2060" },
    { "z\\ufeffw", "z\\ufeffw" },
    { "t\\udb40\\udc41", "t\\U000e0041" },
    { "abc\\u202edef", "abc\\u202edef" },
    { "a b\\tc\\n\\u0007", "a␣b⇥c↵·" },
    { "##ing", "##ing" },
    { "\\u0120the", "Ġthe" },
    { "\\u2581the", "▁the" },
    { "\\u732b", "猫" },
    { "cafe\\u0301", "cafe\u0301" },
    { "\\u00e9t\\u00e9", "été" },
    { "\\ud83d\\udc69\\u200d\\ud83d\\udcbb", "\U0001f469\u200d\U0001f4bb" },
    { "[SEP]", "[SEP]" },
  };
  const char *json_tokens[G_N_ELEMENTS (tokens)];
  g_autofree char *json = NULL;
  AttnFigureSettings settings = ATTN_FIGURE_SETTINGS_INIT;

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    json_tokens[i] = tokens[i][0];
  json = example_json (json_tokens, G_N_ELEMENTS (tokens), "");
  settings.method = ATTN_METHOD_ROLLOUT;
  settings.position = 1;
  for (guint kind = ATTN_FIGURE_GRAPH; kind <= ATTN_FIGURE_HEATMAP; kind++)
    {
      g_autoptr(AttnDocument) document = NULL;
      g_autoptr(AttnFigure) fig = NULL;
      AttnLabelKind label_kinds[] = { ATTN_LABEL_TOKEN_BOTTOM,
                                      kind == ATTN_FIGURE_GRAPH ? ATTN_LABEL_TOKEN_TOP : ATTN_LABEL_SENTENCE };

      settings.kind = kind;
      fig = build_figure (json, &settings, 1, &document);
      for (guint k = 0; k < G_N_ELEMENTS (label_kinds); k++)
        {
          g_auto(GStrv) texts = label_texts (fig, label_kinds[k], G_N_ELEMENTS (tokens));

          for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
            {
              g_assert_cmpstr (texts[i], ==, tokens[i][1]);
              g_assert_cmpint (line_count (texts[i]), ==, 1);
            }
        }
      if (kind == ATTN_FIGURE_GRAPH)
        g_assert_cmpstr (attn_figure_get_title (fig), ==, "Attention rollout from “a\\u200bb” (layer 1, position 1)");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/render/file-text/shorten-whole-escapes", test_shorten_whole_escapes);
  g_test_add_func ("/attn/render/file-text/shortened-text", test_shortened_text);
  g_test_add_func ("/attn/render/file-text/caption-target", test_caption_target);
  g_test_add_func ("/attn/render/file-text/graph-token-fitted", test_graph_token_fitted);
  g_test_add_func ("/attn/render/file-text/token-invisible", test_token_invisible);

  return g_test_run ();
}
